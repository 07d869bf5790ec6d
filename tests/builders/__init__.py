"""What the tests and benchmarks build their worlds from, in one package imported as ``tests.builders.<module>``.

Test modules, conftest files and ``bench/`` import builders from here and from nowhere else in ``tests``: a conftest
holds only fixtures (pytest loads it as a conftest; imported again as a module it would run twice), and a test module
is never imported by another (``tests/test_architecture.py`` checks both).

- ``store``: the store tests' small commune as domain values (people, lines, the parsed list), a payment request, a
  signature, a settable clock;
- ``sheets``: payout-list spreadsheets (.xlsx, .csv) written from rows of cells;
- ``documents``: payout-sheet data built without a store, and readers of the PDFs made from it;
- ``document_world``: a demo province with one payout day done, for the documents' tests;
- ``desk``: driving the desk's real widgets (typing Vietnamese, drawing a signature, finding a person) and a main
  window with a fake sync engine;
- ``postgres``: a throw-away PostgreSQL cluster; ``loopback``: a live uvicorn server and a fault-injecting proxy;
- ``province``: the province server over real HTTP with enrolled devices that pay and sync; ``console``: an officer's
  browser session; ``pilot``: a pilot-sized year written straight into the server's database;
- ``crash``: the child process the crash test kills mid-payment, and the checks after each kill.
"""
