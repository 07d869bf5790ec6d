"""The contract between a device and the province server — one piece of code shared by both ends.

Each module has one job: ``constants`` (paths, versions, limits, header names, answer statuses, flag and change
kinds), ``errors`` (``ProtocolError``), ``signing`` (device keys and request signatures), ``sealing`` (encrypting to
the province's recovery key), ``offline`` (the journal file carried on a USB stick) and ``codec`` (journal entries and
list fragments to and from JSON). No HTTP and no database here: ``app.sync`` (the device) and ``server`` (the
province) wrap it. It imports only ``app.domain`` and ``app.lists``, so the store below the sync engine never needs it.

Changes here are additive: a device that has not been updated keeps talking to a newer server, so a field is added
(with a default when read), never renamed or removed, and ``tests/wire/test_wire_compatibility.py`` pins today's bytes.
"""
