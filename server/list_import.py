"""A payout-list file imported on the province server: the desk's bounded reader, then one transaction.

Two doors use it: ``payout-server import-list`` in its own process, and the console's upload through a worker
process (``server.list_worker``), so a big or hostile upload never holds the server's event loop or its memory. The
outcome is plain data (it crosses from the worker to the console as JSON) and is said in the reader's words through
``app.domain.messages``, in the language of whoever reads it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from app.domain.errors import BadInputError, ListImportError, RowError
from app.domain.messages import render
from app.lists.parsed import ListWarning, ParsedList, describe_warnings
from server import db, province

__all__ = ["ListOutcome", "import_list_file"]

RECONCILED_SHOWN = 200
"""Lines that cannot be paid as listed named in an import's outcome; the rest are counted."""

Progress = Callable[[str, int], None]
"""Called with a stage ("reading" with the row reached, "storing") as the import goes on."""
Audit = Callable[[Connection, ParsedList, Mapping[str, int]], None]
"""Records the import in the caller's audit log, inside the import's transaction."""


@dataclass(frozen=True)
class ListOutcome:
    """What an import came to: ``imported`` (counts and warnings) or refused (errors, nothing imported)."""

    imported: bool
    source: str = ""
    period: str = ""
    agency: str = ""
    """The agency whose list it was (chosen, or detected); "" for a list of several agencies' lines naming none."""
    counts: Mapping[str, int] = field(default_factory=dict)
    warnings: tuple[Mapping[str, Any], ...] = ()
    warnings_total: int = 0
    errors: tuple[Mapping[str, Any], ...] = ()
    """Row errors (``row``, ``column``, ``code``, ``params``), or one refusal of the whole file (no ``row``)."""
    errors_total: int = 0
    contradictions: tuple[int, ...] = ()
    """The numbers of the contradictions of standing amendments the list raised (``server.facts``), said in words
    by whoever reads them (``facts.numbered``, ``app.domain.amendments.describe``)."""

    reconciliation: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """The list reconciled with itself (``app.domain.reconciliation``), in words, per language (``vi``, ``en``):
    cash per payout point + accounts + the lines that cannot be paid as listed, by person (the first
    ``RECONCILED_SHOWN``)."""

    def to_json(self) -> dict[str, Any]:
        return {"imported": self.imported, "source": self.source, "period": self.period, "agency": self.agency,
                "counts": dict(self.counts),
                "warnings": [dict(item) for item in self.warnings], "warnings_total": self.warnings_total,
                "errors": [dict(item) for item in self.errors], "errors_total": self.errors_total,
                "contradictions": list(self.contradictions),
                "reconciliation": {lang: list(lines) for lang, lines in self.reconciliation.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ListOutcome:
        return cls(imported=bool(data.get("imported")), source=str(data.get("source", "")),
                   period=str(data.get("period", "")), agency=str(data.get("agency", "")),
                   counts=dict(data.get("counts") or {}),
                   warnings=tuple(data.get("warnings") or ()), warnings_total=int(data.get("warnings_total") or 0),
                   errors=tuple(data.get("errors") or ()), errors_total=int(data.get("errors_total") or 0),
                   contradictions=tuple(int(number) for number in data.get("contradictions") or ()),
                   reconciliation={str(lang): tuple(str(line) for line in lines)
                                   for lang, lines in (data.get("reconciliation") or {}).items()})

    def reconciliation_lines(self, lang: str) -> list[str]:
        """The reconciliation in ``lang`` (Vietnamese when that language was not kept)."""
        return list(self.reconciliation.get(lang) or self.reconciliation.get("vi") or ())

    def error_lines(self, lang: str) -> list[str]:
        """Each error in ``lang`` (a row error with its row and column), then how many more were counted."""
        lines = []
        for item in self.errors:
            params = dict(item.get("params") or {})
            if item.get("row") is not None:
                lines.append(RowError(int(item["row"]), str(item.get("column", "")), str(item["code"]),
                                      **params).message(lang))
            else:
                lines.append(render(str(item["code"]), lang, params))
        more = self.errors_total - len(self.errors)
        if more > 0:
            lines.append(render("list_more_errors", lang, {"count": more, "shown": len(self.errors)}))
        return lines

    def warning_lines(self, lang: str) -> list[str]:
        """The heading with the count, each listed warning in ``lang``, then how many more."""
        warnings = [ListWarning(int(item["row"]), str(item.get("column", "")), str(item["code"]),
                                dict(item.get("params") or {})) for item in self.warnings]
        return describe_warnings(warnings, self.warnings_total, lang)


def _plain(params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as JSON values (numbers and text; anything else as its text)."""
    return {key: value if isinstance(value, (int, str)) and not isinstance(value, bool) else str(value)
            for key, value in params.items()}


def refused(error: BadInputError) -> ListOutcome:
    """The outcome of a file the reader refused: its row errors, or the one reason the whole file was refused."""
    if isinstance(error, ListImportError):
        errors = tuple({"row": item.row, "column": item.column, "code": item.code, "params": _plain(item.params)}
                       for item in error.errors)
        return ListOutcome(imported=False, errors=errors, errors_total=error.total)
    return ListOutcome(imported=False, errors=({"code": error.code, "params": _plain(error.params)},),
                       errors_total=1)


AUTO = "auto"
"""The agency choice that takes what the reader detects (the console's default)."""


def agency_choices() -> list[str]:
    """The agencies a list may belong to (``regimes.json``), in the catalogue's order."""
    from app.lists.policy import load_policy

    return list(load_policy().agencies)


def _read(path: Path, period: str | None, agency: str | None, reading: Callable[[int], None] | None) -> ParsedList:
    """The desk's reader, told the agency when it can be (it judges each agency's regimes against that agency's
    catalogue), else the agency it detected; without either, the agency its lines' programmes all belong to."""
    import inspect

    from app.lists.policy import load_policy
    from app.lists.reader import read_list

    policy = load_policy()
    options: dict[str, Any] = {"policy": policy, "payout_period": period, "progress": reading}
    if agency and "agency" in inspect.signature(read_list).parameters:
        options["agency"] = agency
    parsed = read_list(path, **options)
    chosen = agency or parsed.agency
    if not chosen:
        programmes = {policy.agency_of(line.programme) for line in parsed.lines}
        chosen = next(iter(programmes)) if len(programmes) == 1 else ""
    return parsed if chosen == parsed.agency else dataclasses.replace(parsed, agency=chosen)


def import_list_file(engine: Engine, path: Path, *, period: str | None, now: dt.datetime, agency: str | None = None,
                     progress: Progress | None = None, audit: Audit | None = None) -> ListOutcome:
    """Read ``path`` with the desk's reader (all its bounds) and store it in one transaction; never raises for a bad
    file: the outcome says why nothing was imported.

    ``agency``: whose list it is (``regimes.json`` "agencies"); None or ``AUTO``: what the reader detects. The list
    replaces only that agency's lines and records of its communes and period."""
    from app.lists.policy import load_policy

    reading = (lambda rows: progress("reading", rows)) if progress is not None else None
    agency = None if agency in (None, "", AUTO) else agency
    if agency is not None and agency not in agency_choices():
        return ListOutcome(imported=False, errors=({"code": "list_agency_bad",
                                                    "params": {"agency": agency[:40],
                                                               "agencies": ", ".join(agency_choices())}},),
                           errors_total=1)
    try:
        parsed = _read(path, period, agency, reading)
    except BadInputError as error:
        return refused(error)
    if progress is not None:
        progress("storing", 0)
    with db.transaction(engine) as conn:
        result = province.import_list(conn, parsed, now)
        numbers = tuple(item.contradiction_id or 0 for item in result.pop("contradictions"))
        reconciled = result.pop("reconciliation")
        refused_rows: tuple[ListWarning, ...] = result.pop("refused")
        result.pop("agency")
        counts = {**result, "contradictions": len(numbers), "refused": len(refused_rows)}
        if audit is not None:
            audit(conn, parsed, counts)
    warnings = tuple({"row": item.row, "column": item.column, "code": item.code, "params": _plain(item.params)}
                     for item in (*refused_rows, *parsed.warnings))
    policy = load_policy()
    regimes = {item.regime: info.name for item in reconciled.not_payable
               if (info := policy.regime(item.regime)) is not None}
    return ListOutcome(imported=True, source=parsed.source, period=parsed.payout_period, agency=parsed.agency,
                       counts=counts, warnings=warnings, warnings_total=parsed.warnings_total + len(refused_rows),
                       contradictions=numbers,
                       reconciliation={lang: tuple(reconciled.describe(lang, regimes, RECONCILED_SHOWN))
                                       for lang in ("vi", "en")})
