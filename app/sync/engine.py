"""The sync engine: upload the journal, then download the change feed — cancellable, with progress, no Qt.

Upload: the outbox goes in sequence order in batches of at most ``MAX_BATCH_ENTRIES`` (the store's rows, encoded by
``app.sync.outbox``); each answer's head is checked against the local chain before anything is marked accepted
(``SyncService.acknowledge``). A sequence gap (409) restarts from the entry the server expects. Download: feed pages
from the saved cursor, each page decoded into typed changes (``app.sync.feed``) and applied with its cursor in one
transaction. Network errors, 5xx, garbage answers and gaps are retried with exponential backoff and jitter; anything
else stops the run with the queue intact and a message a teller understands.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.domain.messages import render
from app.store.sync import HeadMismatch
from app.sync.client import CLOCK, GAP, NETWORK, REVOKED, SERVER, ServerClient, SyncError
from app.sync.feed import apply_feed_page
from app.sync.outbox import wire_batch, wire_entries_from
from app.wire.codec import time_zone_from_feed
from app.wire.constants import ALREADY_APPLIED, APPLIED, FLAGGED, MAX_BATCH_ENTRIES

if TYPE_CHECKING:
    from app.store.store import Store

Progress = Callable[[str, int, int], None]
"""(stage, done, total): stage is "upload" or "download"."""


@dataclass
class SyncReport:
    uploaded: int = 0
    already: int = 0
    flagged: int = 0
    downloaded: int = 0
    new_flags: int = 0
    pending: int = 0
    ok: bool = True
    error_code: str = ""
    error: str = ""
    error_en: str = ""
    upload_ok: bool = True
    download_ok: bool = True
    attempts: int = 0
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"uploaded": self.uploaded, "already": self.already, "flagged": self.flagged,
                "downloaded": self.downloaded, "new_flags": self.new_flags, "pending": self.pending, "ok": self.ok,
                "error_code": self.error_code, "error": self.error, "error_en": self.error_en}


class Cancelled(Exception):
    pass


class SyncEngine:
    def __init__(self, store: Store, client: ServerClient | None = None, *, batch_size: int = MAX_BATCH_ENTRIES,
                 max_attempts: int = 6, base_delay: float = 0.5, max_delay: float = 30.0,
                 sleep: Callable[[float], None] | None = None, rng: random.Random | None = None) -> None:
        self.store = store
        self.client = client or client_for(store)
        self.batch_size = min(batch_size, MAX_BATCH_ENTRIES)
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.sleep = sleep
        self.rng = rng or random.Random()

    def run(self, cancel: threading.Event | None = None, progress: Progress | None = None,
            download: bool = True) -> SyncReport:
        """One full sync. Never raises for network or server trouble: the report says what happened."""
        cancel = cancel or threading.Event()
        report = SyncReport()
        from app.sync.enrolment import send_sealed_key

        send_sealed_key(self.store, self.client)
        self._journal_for_province()
        try:
            self._upload(report, cancel, progress)
        except (SyncError, HeadMismatch, Cancelled) as problem:
            report.upload_ok = False
            self._fail(report, problem)
        # A refused upload still downloads (a death notice must arrive); no network or a cancel stops here.
        if download and report.error_code not in ("sync_offline", "sync_cancelled"):
            try:
                self._download(report, cancel, progress)
            except (SyncError, Cancelled) as problem:
                report.download_ok = False
                if report.ok:
                    self._fail(report, problem)
        report.pending = self.store.sync.pending_count()
        self.store.sync.record_result(report.as_json())
        return report

    # --- upload ---------------------------------------------------------------------------------------------------

    def _journal_for_province(self) -> None:
        """Public-notice postings and survey counts waiting on the desk go into the journal (and so this upload) once
        the server lists their kinds in ``GET /health``: an older server refuses a whole upload holding a kind it does
        not know, so until it is updated they wait on the desk, and the payments never wait behind them."""
        if not self.store.postings.pending_count() and not self.store.survey.ready():
            return
        try:
            kinds = self.client.health().get("entry_kinds")
        except SyncError:
            return  # the upload that follows meets the same trouble and says so
        accepted = [kind for kind in kinds if isinstance(kind, str)] if isinstance(kinds, list) else []
        self.store.postings.journal_pending(accepted)
        self.store.survey.journal_pending(accepted)

    def _upload(self, report: SyncReport, cancel: threading.Event, progress: Progress | None) -> None:
        sync = self.store.sync
        total = sync.pending_count()
        done = 0
        resend_from: int | None = None
        stalled = 0
        while True:
            self._check(cancel)
            if resend_from is not None:
                batch = wire_entries_from(self.store, resend_from, self.batch_size)
                resend_from = None
            else:
                batch = wire_batch(self.store, self.batch_size)
            if not batch:
                return
            pending_after = max(total - done - len(batch), 0)
            try:
                answer = self._with_retries(lambda: self.client.upload(batch, pending_after),  # noqa: B023 - called now
                                            cancel, report,
                                            stop_on_gap=True)
            except SyncError as error:
                if error.kind != GAP:
                    raise
                expected = error.extra.get("expected_seq")
                if type(expected) is not int or expected < 1 or expected > batch[0]["seq"]:
                    raise SyncError(SERVER, "bad_gap", f"server expects {expected!r}") from None
                resend_from = expected
                stalled += 1
                if stalled > 3:
                    raise
                continue
            sync.mark_sent(entry["seq"] for entry in batch)
            results = [r for r in answer["results"] if isinstance(r, dict)]
            confirmed = [(r.get("seq"), r.get("entry_id")) for r in results
                         if r.get("status") in (APPLIED, ALREADY_APPLIED, FLAGGED)]
            accepted = sync.accept(confirmed)  # the server matched each by UUID and hash
            try:
                accepted += sync.acknowledge(answer["last_seq"], answer["head_hash"])
            except HeadMismatch:
                # The server's head is on another branch of this device's chain (a restored laptop resending its
                # old entries): the per-entry confirmations above are enough; only no confirmation at all is wrong.
                if not confirmed:
                    raise
            for result in results:
                status = result.get("status")
                report.uploaded += status == APPLIED
                report.already += status == ALREADY_APPLIED
                report.flagged += status == FLAGGED
            if accepted == 0:
                stalled += 1
                if stalled > 3:
                    raise SyncError(SERVER, "no_progress", "the server does not acknowledge the batch")
            else:
                stalled = 0
            done += len(batch)
            if progress:
                progress("upload", min(done, total), total)

    # --- download -------------------------------------------------------------------------------------------------

    def _download(self, report: SyncReport, cancel: threading.Event, progress: Progress | None) -> None:
        sync = self.store.sync
        cursor = sync.feed_cursor()
        pages = 0
        while True:
            self._check(cancel)
            answer = self._with_retries(lambda: self.client.feed(cursor), cancel, report)  # noqa: B023 - called now
            items = answer["items"]
            next_cursor = answer["next_cursor"]
            if items and next_cursor <= cursor:
                raise SyncError(SERVER, "bad_cursor", "the feed cursor did not advance")
            applied = apply_feed_page(self.store, items, next_cursor, answer.get("communes"),
                                      time_zone_from_feed(answer))
            report.downloaded += len(items)
            report.new_flags += applied.flags
            cursor = next_cursor
            pages += 1
            if progress:
                progress("download", report.downloaded, report.downloaded + (1 if answer.get("more") else 0))
            if not answer.get("more"):
                return

    # --- helpers --------------------------------------------------------------------------------------------------

    def _with_retries(self, call: Callable[[], dict[str, Any]], cancel: threading.Event, report: SyncReport,
                      stop_on_gap: bool = False) -> dict[str, Any]:
        attempt = 0
        while True:
            self._check(cancel)
            report.attempts += 1
            try:
                return call()
            except SyncError as error:
                if stop_on_gap and error.kind == GAP:
                    raise
                if not error.retryable:
                    raise
                attempt += 1
                if attempt >= self.max_attempts:
                    raise
                delay = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
                # jitter: devices that lost the network together do not return together
                delay *= 0.5 + self.rng.random()
                if self.sleep is not None:
                    self.sleep(delay)
                elif cancel.wait(delay):
                    raise Cancelled() from None

    @staticmethod
    def _check(cancel: threading.Event) -> None:
        if cancel.is_set():
            raise Cancelled()

    @staticmethod
    def _fail(report: SyncReport, problem: Exception) -> None:
        report.ok = False
        params: dict[str, object]
        if isinstance(problem, Cancelled):
            code, params = "sync_cancelled", {}
        elif isinstance(problem, HeadMismatch):
            code, params = "sync_head_mismatch", {"seq": problem.seq}
        else:
            assert isinstance(problem, SyncError)
            detail = problem.message or problem.code
            if problem.kind == NETWORK:
                code, params = "sync_offline", {"detail": detail}
            elif problem.kind == REVOKED:
                code, params = "sync_revoked", {}
            elif problem.kind == CLOCK:
                minutes = abs(int(problem.extra.get("skew_seconds", 0))) // 60
                code, params = "sync_clock", {"minutes": minutes}
            elif problem.kind in (SERVER, GAP):
                code, params = "sync_server_error", {"detail": detail}
            elif problem.kind == "bad_answer":
                code, params = "sync_bad_answer", {"detail": detail}
            else:
                code, params = "sync_refused", {"detail": f"{problem.code}: {detail}"}
            report.details["server_code"] = problem.code
        report.error_code = code
        report.error = render(code, "vi", params)
        report.error_en = render(code, "en", params)


def client_for(store: Store, timeout: tuple[float, float] = (5.0, 60.0)) -> ServerClient:
    """A client for the server this store is enrolled with, signing with its device key."""
    from app.domain.errors import BadInputError

    enrolment = store.sync.enrolment()
    key = store.sync.device_key()
    if enrolment is None or key is None:
        raise BadInputError("not_enrolled")
    return ServerClient(enrolment.server_url, device_id=store.device_id, private_key=key,
                        ca_bundle=enrolment.ca_bundle, timeout=timeout, clock=store.clock)
