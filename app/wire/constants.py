"""The names and numbers both ends of the wire agree on: the API path, versions, limits, headers and vocabularies.

Every string here is sent or stored by a device or the server: changing one breaks devices already in the field, so a
new kind is added beside the old ones, never in their place.
"""

from __future__ import annotations

import datetime as dt

API = "/api/v1"
PROTOCOL_VERSION = 1
MAX_BATCH_ENTRIES = 500
"""Entries per upload request: bounded so a batch is applied in one short transaction."""
MAX_REQUEST_BYTES = 16 * 1024 * 1024
"""The server refuses larger request bodies (a full batch of signed payments is about 4 MB)."""
MAX_CLOCK_SKEW = dt.timedelta(minutes=5)
"""A device whose clock differs more than this may upload (flagged) but not download."""
FEED_PAGE_LIMIT = 200

HEADER_DEVICE = "X-Payout-Device"
HEADER_TIME = "X-Payout-Time"
HEADER_SIGNATURE = "X-Payout-Signature"
HEADER_NONCE = "X-Payout-Nonce"
"""Present on a version-2 call (``app.wire.signing``); a call without it is version 1."""

OPTIONAL_ENTRY_KINDS = ("public_posting", "survey_answers")
"""Journal entry kinds added after the first servers (issue 13). A server that stores them lists them in
``GET /health``'s ``entry_kinds``; a device journals them only once its server lists them, because a server that does
not know a kind refuses the whole upload (422) and the device's queue would wait behind it."""
MAX_ATTACHMENT_BYTES = 400 * 1024
"""A posting's photo (a downscaled JPEG) sent beside its entry: at most this many bytes."""
MAX_BATCH_ATTACHMENT_BYTES = 6 * 1024 * 1024
"""A device starts a new batch rather than send more photo bytes than this in one (the body limit is 16 MB)."""

# Per-entry answers of an upload.
APPLIED = "applied"
ALREADY_APPLIED = "already_applied"
FLAGGED = "flagged"

# What the server flags (stored anyway; a person reviews it).
FLAG_DOUBLE_PAYMENT = "double_payment"
FLAG_AFTER_DEATH = "paid_after_death"
FLAG_WHILE_SUSPENDED = "paid_while_suspended"
FLAG_AMOUNT_MISMATCH = "amount_mismatch"
FLAG_UNKNOWN_LINE = "unknown_line"
FLAG_AUTHORISATION_EXPIRED = "authorisation_expired"
FLAG_PROXY_OVERUSE = "proxy_overuse"
FLAG_FORK = "fork"
FLAG_CHAIN_BREAK = "chain_break"
FLAG_REVOKED_DEVICE = "revoked_device"
FLAG_CLOCK_SKEW = "clock_skew"
FLAG_CLOSURE_MISMATCH = "closure_mismatch"
FLAG_OTHER_COMMUNE = "other_commune"
FLAG_BAD_CONTENT = "bad_content"
FLAG_AMOUNT_OUT_OF_RANGE = "amount_out_of_range"  # a line below zero or above the ceiling: stored, not applied
FLAG_KINDS = (
    FLAG_DOUBLE_PAYMENT, FLAG_AFTER_DEATH, FLAG_WHILE_SUSPENDED, FLAG_AMOUNT_MISMATCH, FLAG_UNKNOWN_LINE,
    FLAG_AUTHORISATION_EXPIRED, FLAG_PROXY_OVERUSE, FLAG_FORK, FLAG_CHAIN_BREAK, FLAG_REVOKED_DEVICE,
    FLAG_CLOCK_SKEW, FLAG_CLOSURE_MISMATCH, FLAG_OTHER_COMMUNE, FLAG_BAD_CONTENT, FLAG_AMOUNT_OUT_OF_RANGE,
)

# Kinds of change-feed items.
CHANGE_LIST = "list"  # a list fragment: places, people, authorisations, lines (a whole commune or one person)
CHANGE_STAFF = "staff"  # the staff of the device's communes with their password verifiers
CHANGE_FLAG = "flag"  # a flag about entries of this commune
CHANGE_COMMUNES = "communes"  # the device's communes were reassigned
CHANGE_PERSON_LINK = "person_link"  # an officer's decision that two records are (not) one person (app.domain.identity)
CHANGE_POLICY_TEXT = "policy_text"  # the province's explanation of a regime (issue 13; older devices skip it)
CHANGE_POLICY_NOTICE = "policy_notice"  # a policy notice, or its withdrawal (issue 13; older devices skip it)
CHANGE_KINDS = (CHANGE_LIST, CHANGE_STAFF, CHANGE_FLAG, CHANGE_COMMUNES, CHANGE_PERSON_LINK, CHANGE_POLICY_TEXT,
                CHANGE_POLICY_NOTICE)
