"""``python -m app`` runs the ``payout-desk`` command line."""

import sys

from app.cli import main

sys.exit(main())
