"""Read a province's payout list (.xlsx or .csv) into a ``ParsedList``, or report every bad row at once.

Lists are made by hand in Excel by many offices: title rows and merged cells above the header, header spellings that
vary, amounts typed as text, CCCD numbers whose leading zeros Excel dropped, a "Tổng cộng" row and signatures at the
end. Cash is paid from what this module returns, so it is strict about every value that decides who gets how much,
tolerant about layout, and all-or-nothing: either the whole list is valid or the user gets the complete list of
problems (row, column, reason) to fix in one go, and nothing is imported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from app.domain.errors import BadInputError, ListImportError, RowError
from app.domain.model import (
    Authorisation,
    Beneficiary,
    BeneficiaryStatus,
    Commune,
    EntitlementLine,
    Gender,
    LineKind,
    PaymentMethod,
    PayoutPoint,
    Province,
    Representative,
    ScheduleSlot,
    Village,
    line_key,
)
from app.domain.money import format_vnd, parse_vnd
from app.domain.period import parse_list_period, period_of
from app.domain.policy import STANDARD_LAYOUT, PolicyReference, RegimeInfo
from app.domain.text import fold
from app.lists.columns import EXTRA_COLUMNS, HEADERS, REQUIRED, match_header
from app.lists.csvfile import DELIMITERS, count_records, csv_rows
from app.lists.layouts import Layout, address_place, choose_layout, title_commune, title_province, told_agency
from app.lists.limits import LIMITS, ListLimits, Overlong
from app.lists.parsed import ListWarning, ParsedList
from app.lists.policy import load_policy
from app.lists.rowlog import RowLog
from app.lists.xlsx import XlsxBook

__all__ = ["read_list", "HEADER_SCAN_ROWS", "DEFAULT_HOURS", "SUSPENDED_REASON", "DEFAULT_POINT_PREFIX"]

Cell = object
"""A raw cell value: str, int, float, bool, datetime, date, time, ``Overlong`` (text past the limit) or None."""
Row = Sequence[Cell]
_T = TypeVar("_T")
_Same = TypeVar("_Same", str, int)

HEADER_SCAN_ROWS = 30
"""The header must be within this many rows from the top (title blocks are never longer)."""

DEFAULT_HOURS: tuple[dt.time, dt.time] = (dt.time(7, 30), dt.time(11, 30))
"""Hours of a payout day whose row gives a date but no hours: the usual morning session."""

SUSPENDED_REASON = "Tạm dừng chi trả"
"""Reason recorded for a suspension when the row's note gives none."""

DEFAULT_POINT_PREFIX = "Điểm chi trả "
"""A row without a payout point is paid at the commune's default point, named this + the commune name."""

MIN_BIRTH_YEAR = 1880
MAX_RECORD_CODE = 64
_FALLBACK_PROVINCE = "XX"

# --- value vocabularies (compared after ``fold``) -------------------------------------------------------------------

_GENDERS: dict[str, Gender] = {
    "nam": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE, "trai": Gender.MALE,
    "nu": Gender.FEMALE, "f": Gender.FEMALE, "female": Gender.FEMALE, "gai": Gender.FEMALE,
}
_METHODS: dict[str, PaymentMethod] = {
    "tien mat": PaymentMethod.CASH, "tm": PaymentMethod.CASH, "cash": PaymentMethod.CASH,
    "truc tiep": PaymentMethod.CASH, "chi tien mat": PaymentMethod.CASH,
    "tai khoan": PaymentMethod.ACCOUNT, "chuyen khoan": PaymentMethod.ACCOUNT, "tk": PaymentMethod.ACCOUNT,
    "ck": PaymentMethod.ACCOUNT, "atm": PaymentMethod.ACCOUNT, "account": PaymentMethod.ACCOUNT,
    "qua tai khoan": PaymentMethod.ACCOUNT, "chuyen khoan ngan hang": PaymentMethod.ACCOUNT,
    "ngan hang": PaymentMethod.ACCOUNT, "bank": PaymentMethod.ACCOUNT,
}
_STATUSES: dict[str, BeneficiaryStatus] = {
    "dang huong": BeneficiaryStatus.ACTIVE, "active": BeneficiaryStatus.ACTIVE, "binh thuong": BeneficiaryStatus.ACTIVE,
    "tam dung": BeneficiaryStatus.SUSPENDED, "tam dinh chi": BeneficiaryStatus.SUSPENDED,
    "dinh chi": BeneficiaryStatus.SUSPENDED, "suspended": BeneficiaryStatus.SUSPENDED,
    "tam ngung": BeneficiaryStatus.SUSPENDED, "tam dung chi tra": BeneficiaryStatus.SUSPENDED,
    "tam dung huong": BeneficiaryStatus.SUSPENDED,
    "da mat": BeneficiaryStatus.DECEASED, "da chet": BeneficiaryStatus.DECEASED, "tu tran": BeneficiaryStatus.DECEASED,
    "da tu tran": BeneficiaryStatus.DECEASED, "chet": BeneficiaryStatus.DECEASED, "mat": BeneficiaryStatus.DECEASED,
    "deceased": BeneficiaryStatus.DECEASED, "qua doi": BeneficiaryStatus.DECEASED,
    "da qua doi": BeneficiaryStatus.DECEASED,
}

# --- layout markers --------------------------------------------------------------------------------------------------

_NUMBERING_CELL = re.compile(r"^\(?\s*(?:[0-9]{1,2}|[A-Za-z])\s*\)?$")
_TITLE_PERIOD = re.compile(r"\b(?:thang|ky)\s*([0-9]{1,2})\s*(?:/|-|\.|\s+nam\s+)\s*([0-9]{4})\b")
_DATE_BEFORE = re.compile(r"ngay\s*[0-9]{0,2}\s*,?\s*$")
_FOOTER_PREFIXES = (
    "nguoi lap", "lap bieu", "ke toan", "thu truong", "giam doc", "chu tich", "xac nhan", "truong phong",
    "truong ban", "can bo", "dai dien", "ky ten", "(ky", "ky, ghi ro", "ky ghi ro",
)
_GROUP_LABEL = re.compile(r"^(?:[IVXLC]+|[A-Z])\s*[.):\-]?(?:\s|$)")
_FOOTER_DATE = re.compile(r"(?:^|[ ,])ngay\s*[0-9.…_ ]*\s*thang\s*[0-9.…_ ]*\s*nam\b")

# --- cell parsers ----------------------------------------------------------------------------------------------------

_DMY = re.compile(r"^([0-9]{1,2})\s*[/\-.]\s*([0-9]{1,2})\s*[/\-.]\s*([0-9]{4})$")
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T][0-9:.]+)?$")
_DIGITS = re.compile(r"[0-9]+")
_TIME = r"([0-9]{1,2})\s*(?:(?::|\.|h|gio)\s*([0-9]{1,2})?)?\s*(?:phut)?"
_HOURS = re.compile(rf"^{_TIME}\s*(?:-|den|toi)\s*{_TIME}\s*(?:h|gio)?$")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "~": "-"})
_SLUG_DROP = re.compile(r"[^a-z0-9-]+")


class _CellError(Exception):
    """A cell's value is wrong; becomes a ``RowError`` with the row and the column's header."""

    def __init__(self, code: str, value: object = "", **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = {"value": _shown(value), **params}


@lru_cache(maxsize=16384)
def _fold(text: str) -> str:
    """``fold`` with a cache: the same village, regime and status texts repeat on thousands of rows."""
    return fold(text)


def _shown(value: object) -> str:
    """A cell value as the user would recognise it in an error message."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _clean(value: Cell) -> Cell:
    """Blank text and whitespace-only text become None; other text is trimmed."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _text(value: Cell) -> str:
    """Free text (names, places, notes): NFC so equal names compare equal, single spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return _shown(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _code_text(value: Cell) -> str:
    """A code cell (record code, line id): numbers typed into Excel come back as int/float."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


@lru_cache(maxsize=16384)
def slug(text: str) -> str:
    """An id-safe form of a place name: folded, spaces → "-", other punctuation dropped."""
    value = _SLUG_DROP.sub("", _fold(text).replace(" ", "-"))
    return re.sub(r"-{2,}", "-", value).strip("-") or "x"


def _parse_record_code(value: Cell) -> str:
    code = _code_text(value).upper()
    if not code or len(code) > MAX_RECORD_CODE or any(ch.isspace() for ch in code):
        raise _CellError("bad_record_code", value)
    return code


def _parse_date(value: Cell) -> dt.date:
    """A date as Excel stores it or as text dd/mm/yyyy (also d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd); never mm/dd."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = _DMY.match(text)
        try:
            if match:
                return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            match = _ISO_DATE.match(text)
            if match:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise _CellError("bad_date", value)


def _parse_birth_year(value: Cell, this_year: int) -> int:
    year: int | None = None
    if isinstance(value, bool):
        year = None
    elif isinstance(value, int):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, (dt.date, dt.datetime)):
        year = value.year
    elif isinstance(value, str):
        text = value.strip()
        if _DIGITS.fullmatch(text):
            year = int(text)
        else:
            try:
                year = _parse_date(text).year
            except _CellError:
                year = None
    if year is None or not MIN_BIRTH_YEAR <= year <= this_year:
        raise _CellError("bad_year", value)
    return year


def _parse_id_number(value: Cell, *, restore_zeros: bool) -> str:
    """A 12-digit CCCD number.

    Excel turns a typed 001089012345 into the number 1089012345; every CCCD starts with a 3-digit province code
    001–096, so a number of 10 or 11 digits is a CCCD that lost its zeros and is padded back. Fewer digits (an old
    9-digit CMND) cannot be repaired and are refused. Text keeps its zeros in .xlsx, so there it must be 12 digits;
    a CSV has only text, so there ``restore_zeros`` applies to digit text too.
    """
    digits: str
    numeric = False
    if isinstance(value, bool):
        raise _CellError("bad_id_number", value)
    if isinstance(value, int):
        digits, numeric = str(value), True
    elif isinstance(value, float) and value.is_integer() and value >= 0:
        digits, numeric = str(int(value)), True
    elif isinstance(value, str):
        digits = "".join(value.split())
    else:
        raise _CellError("bad_id_number", value)
    if not (digits.isascii() and digits.isdigit()):
        raise _CellError("bad_id_number", value)
    if len(digits) in (10, 11) and (numeric or restore_zeros):
        digits = digits.zfill(12)
    if len(digits) != 12:
        raise _CellError("bad_id_number", value)
    return digits


def _parse_gender(value: Cell) -> Gender:
    found = _GENDERS.get(_fold(_text(value)))
    if found is None:
        raise _CellError("bad_gender", value)
    return found


def _parse_method(value: Cell) -> PaymentMethod:
    found = _METHODS.get(_fold(_text(value)))
    if found is None:
        raise _CellError("bad_method", value)
    return found


def _parse_status(value: Cell) -> BeneficiaryStatus:
    found = _STATUSES.get(_fold(_text(value)).rstrip("."))
    if found is None:
        raise _CellError("bad_status", value)
    return found


def _parse_period(value: Cell) -> str:
    """A "Kỳ" cell: "12/2026", "T12/2026", "2026-12", or a date (Excel turns a typed 12/2026 into 1/12/2026)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return period_of(value)
    if isinstance(value, str):
        try:
            return parse_list_period(unicodedata.normalize("NFC", value))
        except ValueError:
            pass
    raise _CellError("bad_period", value)


def _parse_amount(value: Cell, ceiling: int) -> int:
    """A line's amount: whole đồng from 0 (imported, but it cannot be paid as listed) to the policy's ceiling."""
    try:
        amount = parse_vnd(value)
    except ValueError:
        raise _CellError("bad_amount", value) from None
    if amount < 0:
        raise _CellError("negative_amount", value)
    if amount > ceiling:
        raise _CellError("amount_above_ceiling", value, limit=format_vnd(ceiling))
    return amount


def _parse_time(hour: str, minute: str | None) -> dt.time:
    return dt.time(int(hour), int(minute) if minute else 0)


def _parse_hours(value: Cell) -> tuple[dt.time, dt.time]:
    """Payout hours: "07:30-11:00", "7h30 - 11h", "7:30–11:00", "7 giờ 30 đến 11 giờ"."""
    if isinstance(value, str):
        match = _HOURS.match(_fold(value).translate(_DASHES))
        if match:
            try:
                start = _parse_time(match.group(1), match.group(2))
                end = _parse_time(match.group(3), match.group(4))
            except ValueError:
                raise _CellError("bad_time", value) from None
            if start < end:
                return start, end
    raise _CellError("bad_time", value)


def _is_numbering_row(row: Row) -> bool:
    """The "(1) (2) (3)…" or "1 2 3 …" row printed under many headers."""
    values = [value for value in row if _clean(value) is not None]
    if len(values) < 2:
        return False
    for value in values:
        if isinstance(value, bool):
            return False
        if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
            if not 0 <= value <= 100:
                return False
        elif not (isinstance(value, str) and _NUMBERING_CELL.match(value.strip())):
            return False
    return True


def _first_text(row: Row) -> str | None:
    """The first non-blank cell of a row, folded, if it is text."""
    for value in row:
        value = _clean(value)
        if value is not None:
            return _fold(value) if isinstance(value, str) else None
    return None


def _is_total_row(row: Row) -> bool:
    """The grand total row that ends the data: "Tổng cộng", "TỔNG CỘNG:", "Cộng" (but not "Cộng thôn 1")."""
    for value in row:
        value = _clean(value)
        if value is None:
            continue
        if not isinstance(value, str):
            return False
        folded = _fold(value).rstrip(":. ")
        if folded.startswith(("tong cong", "tong so tien", "tong so")) or folded == "tong":
            return True
        # "Cộng" alone; compared with its marks, because the name "Công" folds to the same letters.
        return unicodedata.normalize("NFC", value).strip().rstrip(":. ").casefold() == "cộng"
    return False


def _is_subtotal_row(row: Row) -> bool:
    """A subtotal such as "Cộng thôn 1": skipped, the data continues below."""
    for value in row:
        value = _clean(value)
        if value is None:
            continue
        return isinstance(value, str) and unicodedata.normalize("NFC", value).casefold().startswith("cộng ")
    return False


def _is_group_heading(row: Row) -> bool:
    """A heading that groups the rows below it, e.g. "I" | "Thôn Đông" or "II. THÔN TÂY" (no code, no amount)."""
    for value in row:
        value = _clean(value)
        if value is None:
            continue
        return isinstance(value, str) and _GROUP_LABEL.match(value) is not None
    return False


def _is_footer_row(row: Row) -> bool:
    """Signature block ("Người lập biểu", "Kế toán"…) or "…, ngày … tháng … năm …" line after the data.

    Only the row's first non-blank cell is looked at, so a data row's note ("đại diện nhận thay") never ends the list.
    """
    folded = _first_text(row)
    return folded is not None and (folded.startswith(_FOOTER_PREFIXES) or _FOOTER_DATE.search(folded) is not None)


def _title_period(rows: Iterable[Row]) -> str | None:
    """The period named in the title block: "Tháng 12/2026", "Kỳ 12/2026", "tháng 12 năm 2026"."""
    for row in rows:
        for value in row:
            if not isinstance(value, str):
                continue
            folded = _fold(value)
            for match in _TITLE_PERIOD.finditer(folded):
                if _DATE_BEFORE.search(folded[: match.start()]):
                    continue  # "ngày 20 tháng 11 năm 2026" is the date the list was signed, not its period
                month, year = int(match.group(1)), int(match.group(2))
                if 1 <= month <= 12:
                    return f"{year:04d}-{month:02d}"
    return None


# --- the source table ------------------------------------------------------------------------------------------------


@dataclass
class _Header:
    """The header row found in a sheet: where each known column is and how the file spells it."""

    row: int
    index: dict[str, int]
    text: dict[str, str]

    def column(self, column_id: str) -> str:
        """The header of a column as the file writes it (ours if the file has no such column)."""
        return self.text.get(column_id) or HEADERS[column_id]


def _find_header(rows: Sequence[Row]) -> tuple[int, dict[str, int], dict[str, str]] | None:
    """The position (0-based) of the row matching most column ids among ``rows``, with its columns."""
    best: tuple[int, dict[str, int], dict[str, str]] | None = None
    for position, row in enumerate(rows):
        index: dict[str, int] = {}
        text: dict[str, str] = {}
        for column, value in enumerate(row):
            column_id = match_header(value)
            if column_id is not None and column_id not in index:
                index[column_id] = column
                text[column_id] = " ".join(str(value).split())
        if index and (best is None or len(index) > len(best[1])):
            best = (position, index, text)
    return best


@dataclass
class _Table:
    """A sheet split into the title block, the header and an iterator over the rows below it."""

    header: _Header
    above: list[Row]
    below: Iterator[tuple[int, Row]]
    restore_zeros: bool
    layout: Layout
    close: Callable[[], None] = lambda: None
    """Releases the open file behind ``below`` (called once reading ends, whatever happened)."""
    delimiter: str = ","
    """A CSV's delimiter (unused for .xlsx)."""


def _no_header(layout: Layout | None = None) -> BadInputError:
    columns = layout.required_headers() if layout is not None else ", ".join(HEADERS[column] for column in REQUIRED)
    return BadInputError("list_no_header", columns=columns)


def _close(rows: Iterator[Row]) -> None:
    close = getattr(rows, "close", None)
    if close is not None:
        close()  # release the sheet's open stream now, not at garbage collection


_Chooser = Callable[[Row, Sequence[Row]], Layout]
"""Picks the layout from the header row and the title rows above it (``layouts.choose_layout`` with the policy and
the told agency bound)."""


def _locate(rows: Iterator[Row], restore_zeros: bool, choose: _Chooser) -> tuple[_Table | None, int, Layout | None]:
    """Read the first rows of a sheet and find its header; returns the table, the header's score and the layout it
    was judged with (None when no row looked like a header)."""
    head: list[Row] = []
    try:
        for row in rows:
            head.append(row)
            if len(head) >= HEADER_SCAN_ROWS:
                break
    except BaseException:
        _close(rows)
        raise
    found = _find_header(head)
    if found is None:
        _close(rows)
        return None, 0, None
    position, index, text = found
    layout = choose(head[position], head[:position])
    if any(column not in index for column in layout.required):
        _close(rows)
        return None, len(index), layout
    if layout.kind == STANDARD_LAYOUT:  # the Department's lists read exactly as they did before agencies
        for column, _header in EXTRA_COLUMNS:
            index.pop(column, None)
            text.pop(column, None)
    header = _Header(row=position + 1, index=index, text=text)

    def below() -> Iterator[tuple[int, Row]]:
        number = position + 1
        for row in head[position + 1 :]:
            number += 1
            yield number, row
        head.clear()
        for row in rows:
            number += 1
            yield number, row

    return _Table(header, head[:position], below(), restore_zeros, layout, lambda: _close(rows)), len(index), layout


def _open_xlsx(path: Path, limits: ListLimits, choose: _Chooser) -> tuple[XlsxBook, _Table]:
    """Open the workbook and find the list: the active sheet first, then the others."""
    book = XlsxBook(path, limits)
    judged: Layout | None = None
    try:
        for sheet in book.sheets:  # worksheets only: chart sheets are not listed
            table, _score, layout = _locate(book.rows(sheet), False, choose)
            if table is not None:
                return book, table
            judged = judged or layout
    except BaseException:
        book.close()
        raise
    book.close()
    raise _no_header(judged)


def _open_csv(path: Path, limits: ListLimits, choose: _Chooser) -> _Table:
    """Find the header with whichever of ``,`` ``;`` tab makes the best one; the file is then read as a stream."""
    best: tuple[int, _Table] | None = None
    refusal: BadInputError | None = None
    judged: Layout | None = None
    try:
        for delimiter in DELIMITERS:
            try:
                table, score, layout = _locate(csv_rows(path, delimiter, limits), True, choose)
                judged = judged or layout
                if table is not None:
                    table.delimiter = delimiter
            except BadInputError as error:
                refusal = refusal or error  # a wrong delimiter may look broken where the right one is fine
                continue
            if table is None:
                continue
            if best is None or score > best[0]:
                if best is not None:
                    best[1].close()
                best = (score, table)
            else:
                table.close()
    except BaseException:
        if best is not None:
            best[1].close()
        raise
    if best is None:
        raise refusal or _no_header(judged)
    table = best[1]
    try:
        count_records(path, table.delimiter, limits)
    except BaseException:
        table.close()
        raise
    return table


# --- rows ------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    """One valid data row, before list-level checks (period, keys, persons)."""

    number: int
    record_code: str
    full_name: str
    province_code: str
    province_name: str
    commune_code: str
    commune: str
    district: str | None
    category: str
    regime: RegimeInfo
    programme: str
    amount: int
    period: str | None
    line_id: str | None
    birth_year: int | None = None
    gender: Gender | None = None
    id_number: str | None = None
    village: str | None = None
    method: PaymentMethod = PaymentMethod.CASH
    point_id: str = ""
    point_name: str = ""
    payout_date: dt.date | None = None
    hours: tuple[dt.time, dt.time] | None = None
    status: BeneficiaryStatus | None = None
    status_text: str = ""
    death_date: dt.date | None = None
    representative: str | None = None
    representative_id: str | None = None
    authorisation: Authorisation | None = None
    note: str = ""
    arrears: int = 0
    """The row's "Truy lĩnh" (BHXH's lists): its own arrears line beside the month's."""
    category_from_regime: bool = False
    """The list has no category column: the category is the regime's (a person's regimes may differ)."""


PROGRESS_EVERY = 2_000
"""Rows between two calls of ``read_list``'s ``progress``."""


@dataclass
class _Reader:
    """Turns the rows under the header into domain values, collecting every error (bounded: see ``RowLog``)."""

    table: _Table
    policy: PolicyReference
    default_province_code: str | None
    limits: ListLimits = LIMITS
    progress: Callable[[int], None] | None = None
    errors: RowLog[RowError] = field(init=False)
    warnings: RowLog[ListWarning] = field(init=False)
    rows: list[_Row] = field(default_factory=list)
    data_rows: int = 0
    stated_total: tuple[int, int] | None = None
    """(row, amount) of the list's own "Tổng cộng" row, when it gives an amount (checked against its lines)."""
    this_year: int = field(default_factory=lambda: dt.date.today().year)
    _same: dict[object, object] = field(default_factory=dict)
    title_commune: str | None = None
    """The commune the title block names, for a list without a commune column (BHXH's, per payout point)."""
    title_province: str | None = None
    """The province the title block names, for a list without a province column."""

    def __post_init__(self) -> None:
        self.errors = RowLog(self.limits.errors_kept)
        self.warnings = RowLog(self.limits.warnings_kept)
        if "commune" not in self.table.header.index:
            self.title_commune = title_commune(self.table.above)
        if "province" not in self.table.header.index and self.table.layout.kind != STANDARD_LAYOUT:
            self.title_province = title_province(self.table.above)  # the Department's lists read as they always did

    @property
    def agency(self) -> str | None:
        """The list's agency when told or detected; None: its lines' programmes say it."""
        return self.table.layout.agency

    def error(self, number: int, column_id: str, code: str, **params: object) -> None:
        self.errors.append(RowError(number, self.table.header.column(column_id), code, **params))

    def warn(self, number: int, column_id: str, code: str, **params: object) -> None:
        self.warnings.append(ListWarning(number, self.table.header.column(column_id), code, params))

    def same(self, value: _Same) -> _Same:
        """One object for equal values: communes, villages, points, periods and amounts repeat on thousands of rows,
        and a province's list keeps them all in memory until it is stored."""
        return self._same.setdefault(value, value)  # type: ignore[return-value]

    def read_rows(self) -> None:
        """Walk the data rows: skip the numbering row and blanks, stop at the total, flag data below it."""
        header = self.table.header
        present = sorted(header.index.items(), key=lambda item: item[1])
        record_index = header.index["record_code"]
        amount_index = header.index["amount"]
        name_index = header.index["full_name"]
        total_index = header.index.get("total")
        first = True
        total_row: int | None = None
        progress = self.progress
        for number, row in self.table.below:
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number)
            if first:
                first = False
                if _is_numbering_row(row):
                    continue
            width = len(row)
            record = _clean(row[record_index]) if record_index < width else None
            amount = _clean(row[amount_index]) if amount_index < width else None
            name = _clean(row[name_index]) if name_index < width else None
            if total_row is not None:
                if record is not None and amount is not None and not _is_total_row(row):
                    self.error(number, "record_code", "row_after_total", total=total_row)
                continue
            if record is None and amount is None and name is None:
                if _is_total_row(row) or _is_footer_row(row):
                    total_row = number  # without a total row the signature block ends the data just the same
                continue
            if _is_total_row(row):
                total_row = number
                stated = _clean(row[total_index]) if total_index is not None and total_index < width else None
                self.read_total(number, stated if stated is not None else amount)
                continue
            if amount is None and (record is None or " " in str(record)) and _is_footer_row(row):
                total_row = number
                continue
            if record is None and (_is_subtotal_row(row) or (amount is None and _is_group_heading(row))):
                continue
            cells = {column_id: (_clean(row[index]) if index < width else None) for column_id, index in present}
            self.data_rows += 1
            overlong = [column_id for column_id, value in cells.items() if isinstance(value, Overlong)]
            if overlong:
                for column_id in overlong:
                    self.error(number, column_id, "cell_too_long", limit=self.limits.cell_chars)
                continue
            parsed = self.parse_row(number, cells)
            if parsed is not None:
                self.rows.append(parsed)

    def read_total(self, number: int, amount: Cell | None) -> None:
        """Keep the amount the list's total row states (in the amount column), to check it against the lines; a
        total that is not an amount is only the end of the data."""
        if amount is None or isinstance(amount, Overlong):
            return
        try:
            self.stated_total = (number, parse_vnd(amount))
        except ValueError:
            return

    def parse_row(self, number: int, cells: dict[str, Cell]) -> _Row | None:
        """Parse one row's cells; returns None (after recording the errors) when any cell is wrong.

        Each cell is parsed into its own typed local, in column order, so the errors come out in the order of the
        row; a cell that is blank is None, and so is one that was wrong (its error is recorded).
        """
        errors_before = len(self.errors)

        def take(column_id: str, parse: Callable[[Cell], _T]) -> _T | None:
            value = cells.get(column_id)
            if value is None:
                return None
            try:
                return parse(value)
            except _CellError as exc:
                self.error(number, column_id, exc.code, **exc.params)
                return None

        def required(column_id: str) -> bool:
            if cells.get(column_id) is None:
                self.error(number, column_id, "required")
                return False
            return True

        def id_number(value: Cell) -> str:
            return _parse_id_number(value, restore_zeros=self.table.restore_zeros)

        record_code = take("record_code", _parse_record_code) if required("record_code") else None
        full_name = _text(cells["full_name"]) if required("full_name") else None
        birth_year = take("birth_year", lambda value: _parse_birth_year(value, self.this_year))
        gender = take("gender", _parse_gender)
        id_number_value = take("id_number", id_number)
        header_index = self.table.header.index
        agency = self.agency
        address = _text(cells.get("address"))
        address_commune, address_village = address_place(address) if address else (None, None)
        commune: str | None = None
        if "commune" in header_index:
            commune = _text(cells["commune"]) if required("commune") else None
        else:
            commune = self.title_commune or address_commune
            if commune is None:
                self.error(number, "address", "no_commune", value=address)
        category: str | None = None
        if "category" in header_index and required("category"):
            category = self.same(_text(cells["category"]).upper())
            if self.policy.category(category, agency) is None:
                self.error(number, "category", "unknown_category", value=_shown(cells["category"]))
                category = None
        programme: str | None = None
        programme_cell = cells.get("programme")
        if programme_cell is not None:
            info = self.policy.match_programme(_text(programme_cell))
            if info is None:
                self.error(number, "programme", "unknown_programme", value=_shown(programme_cell))
            else:
                programme = info.code
        foreign = agency is not None and programme is not None and self.policy.agency_of(programme) != agency
        if foreign:
            assert agency is not None and programme is not None
            self.error(number, "programme", "line_of_other_agency",
                       line_agency=self.policy.agency_name(self.policy.agency_of(programme)),
                       list_agency=self.policy.agency_name(agency))
        regime: RegimeInfo | None = None
        if required("regime"):
            # a row already refused for its programme is looked up in every catalogue, so it is not refused twice
            regime = self._regime(number, _text(cells["regime"]), _shown(cells["regime"]), everywhere=foreign)
        if regime is not None and "category" not in header_index:
            category = regime.category or None
            if category is None:
                self.error(number, "regime", "unknown_category", value=_shown(cells["regime"]))
        if agency is not None and regime is not None and programme is None:
            line_agency = self.policy.agency_of(regime.programme)
            if line_agency != agency:
                self.error(number, "regime", "line_of_other_agency", line_agency=self.policy.agency_name(line_agency),
                           list_agency=self.policy.agency_name(agency))
        period = take("period", _parse_period)
        ceiling = self.policy.max_line_amount
        amount = take("amount", lambda value: _parse_amount(value, ceiling)) if required("amount") else None
        arrears = take("arrears", lambda value: _parse_amount(value, ceiling))
        stated_total = take("total", lambda value: _parse_amount(value, ceiling * 2))
        if stated_total is not None and amount is not None and stated_total != amount + (arrears or 0):
            self.error(number, "total", "row_total_differs", stated=format_vnd(stated_total),
                       monthly=format_vnd(amount), arrears=format_vnd(arrears or 0),
                       summed=format_vnd(amount + (arrears or 0)))
        method = take("method", _parse_method)
        payout_date = take("payout_date", _parse_date)
        hours = take("payout_hours", _parse_hours)
        status = take("status", _parse_status)
        death_date = take("death_date", _parse_date)
        representative_id = take("representative_id", id_number)
        if cells.get("representative_id") is not None and cells.get("representative") is None:
            self.error(number, "representative", "required")
        proxy_id: str | None = None
        authorisation_until: dt.date | None = None
        authorisation_columns = ("proxy_name", "proxy_id", "authorisation_number", "authorisation_until")
        if any(cells.get(column) is not None for column in authorisation_columns):
            missing = [column for column in authorisation_columns if cells.get(column) is None]
            if missing:
                self.error(number, missing[0], "authorisation_incomplete")
            proxy_id = take("proxy_id", id_number)
            authorisation_until = take("authorisation_until", _parse_date)
        authorisation_from = take("authorisation_from", _parse_date)
        if (
            len(self.errors) > errors_before
            or regime is None  # each None below had its error recorded just above
            or record_code is None
            or full_name is None
            or commune is None
            or category is None
            or amount is None
        ):
            return None

        commune_code_cell = cells.get("commune_code")
        province_code = self._province_code(
            record_code, _code_text(commune_code_cell) if commune_code_cell is not None else None)
        province_cell = cells.get("province")
        commune_code = (
            _code_text(commune_code_cell) if commune_code_cell is not None else f"{province_code}-{slug(commune)}"
        )
        point_name = _text(cells.get("point")) or DEFAULT_POINT_PREFIX + commune
        line_id_cell = cells.get("line_id")
        authorisation: Authorisation | None = None
        if proxy_id is not None and authorisation_until is not None:
            authorisation = Authorisation(
                record_code=record_code,
                proxy_name=_text(cells["proxy_name"]),
                proxy_id_number=proxy_id,
                number=_code_text(cells["authorisation_number"]),
                valid_until=authorisation_until,
                valid_from=authorisation_from,
            )
        district = cells.get("district")
        village = _text(cells.get("village")) or address_village or None
        same = self.same
        if amount == 0:
            self.warn(number, "amount", "zero_amount_listed")
        amount = same(amount)
        return _Row(
            number=number,
            record_code=record_code,
            full_name=full_name,
            province_code=same(province_code),
            province_name=same(_text(province_cell) if province_cell is not None
                               else self.title_province or province_code),
            commune_code=same(commune_code),
            commune=same(commune),
            district=same(_text(district)) if district is not None else None,
            category=category,
            regime=regime,
            programme=programme or regime.programme,
            amount=amount,
            period=same(period) if period is not None else None,
            line_id=_code_text(line_id_cell) if line_id_cell is not None else None,
            birth_year=same(birth_year) if birth_year is not None else None,
            gender=gender,
            id_number=id_number_value,
            village=same(village) if village is not None else None,
            method=method if method is not None else PaymentMethod.CASH,
            point_id=same(f"{commune_code}/{slug(point_name)}"),
            point_name=same(point_name),
            payout_date=payout_date,
            hours=(hours or DEFAULT_HOURS) if payout_date is not None else None,
            status=status,
            status_text=same(_text(cells.get("status"))),
            death_date=death_date,
            representative=_text(cells.get("representative")) or None,
            representative_id=representative_id,
            authorisation=authorisation,
            note=same(_text(cells.get("note"))),
            arrears=arrears or 0,
            category_from_regime="category" not in header_index,
        )

    def _regime(self, number: int, text: str, shown: str, everywhere: bool = False) -> RegimeInfo | None:
        """The regime a cell names: within the list's agency's catalogue when the list has an agency (a regime of
        another agency's catalogue is refused in words, naming both agencies), else (or ``everywhere``) in every
        catalogue."""
        agency = self.agency
        if agency is None or everywhere:
            regime = self.policy.match_regime(text)
        else:
            regime = self.policy.match_regime(text, agency)
            if regime is None:
                elsewhere = self.policy.match_regime(text)
                if elsewhere is not None:
                    self.error(number, "regime", "line_of_other_agency",
                               line_agency=self.policy.agency_name(self.policy.agency_of(elsewhere.programme)),
                               list_agency=self.policy.agency_name(agency))
                    return None
        if regime is None:
            self.error(number, "regime", "unknown_regime", value=shown)
        return regime

    def _province_code(self, record_code: str, commune_code: str | None = None) -> str:
        """The province prefix of a record code ("QNH/LS-01234-TCM" → "QNH"); for a code without one (BHXH's Mã
        số BHXH is digits only) the caller's default province, else the prefix of the commune code ("QNH-0001")."""
        prefix, slash, _rest = record_code.partition("/")
        if slash and prefix:
            return prefix
        if not self.default_province_code and commune_code and "-" in commune_code:
            return commune_code.split("-", 1)[0].strip().upper() or _FALLBACK_PROVINCE
        return (self.default_province_code or _FALLBACK_PROVINCE).strip().upper() or _FALLBACK_PROVINCE


# --- the whole list --------------------------------------------------------------------------------------------------


def _list_period(argument: str | None, table: _Table, rows: Sequence[_Row]) -> str | None:
    """The month the list pays: the caller's choice, else the title, else the latest period on the rows."""
    if argument is not None:
        return argument
    titled = _title_period(table.above)
    if titled is not None:
        return titled
    periods = [row.period for row in rows if row.period]
    return max(periods) if periods else None


_PERSON_FIELDS: tuple[tuple[str, str], ...] = (
    ("full_name", "full_name"),
    ("birth_year", "birth_year"),
    ("id_number", "id_number"),
    ("commune_code", "commune"),
    ("category", "category"),
    ("status", "status"),
    ("death_date", "death_date"),
)
"""Person attributes every row of one record code must agree on: (``_Row`` attribute, column id)."""


def _comparable(attribute: str, value: object) -> object:
    """Names compare without case and spacing differences; accents still matter (Lê and Lễ are two people)."""
    if attribute == "full_name" and isinstance(value, str):
        return value.casefold()
    return value


def _build(
    reader: _Reader, period: str, path: Path, digest: str
) -> ParsedList:
    """Check keys and persons across rows, then assemble the ``ParsedList`` (raises if anything is wrong).

    One pass in row order makes the lines and the places; then each person's rows are checked, turned into the
    person and let go, so a province's rows are never held beside all of their people.
    """
    header = reader.table.header
    errors = reader.errors
    lines: list[EntitlementLine] = []
    row_of_line: dict[str, int] = {}
    persons: dict[str, list[_Row]] = {}
    provinces: Counter[str] = Counter()
    province_names: dict[str, str] = {}
    communes: dict[str, Commune] = {}
    villages: dict[tuple[str, str], Village] = {}
    points: dict[str, PayoutPoint] = {}
    slots: dict[tuple[str, dt.date], ScheduleSlot] = {}
    arrears_at: dict[str, int] = {}
    """Key → index in ``lines`` of an arrears line made from a "Truy lĩnh" column."""
    rows, reader.rows = reader.rows, []
    for row in rows:
        provinces[row.province_code] += 1
        province_names.setdefault(row.province_code, row.province_name)
        communes.setdefault(row.commune_code, Commune(row.commune_code, row.commune, row.province_code, row.district))
        if row.village:
            villages.setdefault((row.commune_code, row.village), Village(row.commune_code, row.village))
        points.setdefault(row.point_id, PayoutPoint(row.point_id, row.commune_code, row.point_name))
        if row.payout_date is not None and row.hours is not None:
            slots.setdefault(
                (row.point_id, row.payout_date),
                ScheduleSlot(row.point_id, row.payout_date, row.hours[0], row.hours[1]),
            )
        line_period = row.period or period
        key = line_key(row.line_id, row.record_code, line_period, row.programme, row.regime.code)
        if key in row_of_line:
            column = "line_id" if row.line_id else "regime"
            errors.append(RowError(row.number, header.column(column), "duplicate_line", other=row_of_line[key]))
            continue
        row_of_line[key] = row.number
        persons.setdefault(row.record_code, []).append(row)
        lines.append(
            EntitlementLine(
                key=key,
                record_code=row.record_code,
                period=line_period,
                list_period=period,
                programme=row.programme,
                regime=row.regime.code,
                kind=row.regime.kind,
                amount=row.amount,
                method=row.method,
                line_id=row.line_id,
                note=row.note,
            )
        )
        if row.arrears:
            arrears = _arrears_line(reader, row, period, line_period)
            if arrears is None:
                pass
            elif arrears.key in arrears_at:  # a second regime's "Truy lĩnh" of the same person and month: one line
                earlier = lines[arrears_at[arrears.key]]
                note = earlier.note if arrears.note in ("", earlier.note) else f"{earlier.note}; {arrears.note}"
                lines[arrears_at[arrears.key]] = dataclasses.replace(
                    earlier, amount=earlier.amount + arrears.amount, note=note.strip("; "))
            elif arrears.key in row_of_line:
                errors.append(RowError(row.number, header.column("arrears"), "duplicate_line",
                                       other=row_of_line[arrears.key]))
            else:
                row_of_line[arrears.key] = row.number
                arrears_at[arrears.key] = len(lines)
                lines.append(arrears)
        if row.authorisation is not None:
            _check_authorisation(reader, row, period)
    del rows
    agencies = {reader.policy.agency_of(line.programme) for line in lines}
    list_agency = reader.agency if reader.agency is not None else (next(iter(agencies)) if len(agencies) == 1 else "")

    beneficiaries: list[Beneficiary] = []
    authorisations: dict[tuple[str, str], Authorisation] = {}
    for record_code in list(persons):
        person_rows = persons.pop(record_code)
        seen: dict[str, tuple[object, int]] = {}  # field → the first value and its row
        for row in person_rows:
            for attribute, column_id in _PERSON_FIELDS:
                value = getattr(row, attribute)
                if value is None or (attribute == "category" and row.category_from_regime):
                    continue
                if attribute not in seen:
                    seen[attribute] = (value, row.number)
                elif _comparable(attribute, seen[attribute][0]) != _comparable(attribute, value):
                    column = header.column(column_id)
                    errors.append(
                        RowError(row.number, column, "inconsistent_person", field=column, other=seen[attribute][1])
                    )
            if row.authorisation is not None:
                authorisations.setdefault((record_code, row.authorisation.number), row.authorisation)
        beneficiary = _beneficiary(person_rows, header, errors, _record_agency(reader, list_agency, person_rows))
        if beneficiary is not None:
            beneficiaries.append(beneficiary)

    if errors:
        raise ListImportError(errors.entries(), path=str(path), total=len(errors))

    if reader.stated_total is not None:  # the list's own total against its lines: a warning, not an error
        total_row, stated = reader.stated_total
        summed = sum(line.amount for line in lines)
        if stated != summed:
            reader.warn(total_row, "amount", "list_total_differs", stated=format_vnd(stated),
                        summed=format_vnd(summed), difference=format_vnd(abs(stated - summed)))
    province_code = provinces.most_common(1)[0][0]
    return ParsedList(
        source=path.name,
        sha256=digest,
        payout_period=period,
        province=Province(province_code, province_names[province_code]),
        communes=tuple(communes.values()),
        villages=tuple(villages.values()),
        points=tuple(points.values()),
        schedule=tuple(slots.values()),
        beneficiaries=tuple(beneficiaries),
        authorisations=tuple(authorisations.values()),
        lines=tuple(lines),
        row_of_line=row_of_line,
        warnings=tuple(reader.warnings.entries()),
        warnings_total=len(reader.warnings),
        agency=list_agency,
        stated_total=reader.stated_total[1] if reader.stated_total is not None else None,
    )


def _arrears_line(reader: _Reader, row: _Row, period: str, line_period: str) -> EntitlementLine | None:
    """The row's "Truy lĩnh" as its own arrears line: the arrears regime of the row's agency's catalogue, same record,
    period and programme as the row (its key differs by regime; a line id gets "-TL"). A person's "Truy lĩnh" on two
    regimes' rows of one month make one arrears line of their sum (``_build``): the key names the regime, and BHXH's
    arrears are one regime."""
    agency = reader.policy.agency_of(row.programme)
    regime = next((info for info in reader.policy.regimes_of(agency) if info.kind is LineKind.ARREARS), None)
    if regime is None:
        reader.error(row.number, "arrears", "unknown_regime", value=HEADERS["arrears"])
        return None
    line_id = f"{row.line_id}-TL" if row.line_id else None
    return EntitlementLine(
        key=line_key(line_id, row.record_code, line_period, row.programme, regime.code),
        record_code=row.record_code,
        period=line_period,
        list_period=period,
        programme=row.programme,
        regime=regime.code,
        kind=regime.kind,
        amount=reader.same(row.arrears),
        method=row.method,
        line_id=line_id,
        note=row.note,
    )


def _check_authorisation(reader: _Reader, row: _Row, period: str) -> None:
    """Warn when a row's authorisation letter runs longer than its agency's rule (``regimes.json``): the letter is
    kept (the commune confirmed it), the officer is told."""
    letter = row.authorisation
    assert letter is not None
    agency = reader.agency or reader.policy.agency_of(row.programme)
    months = reader.policy.authorisation_too_long(agency, letter.valid_until, payout_period=period,
                                                  valid_from=letter.valid_from)
    if months is not None:
        reader.warn(row.number, "authorisation_until", "authorisation_too_long", letter=letter.number,
                    until=letter.valid_until.strftime("%d/%m/%Y"), months=months,
                    agency=reader.policy.agency_name(agency))


def _record_agency(reader: _Reader, list_agency: str, rows: Sequence[_Row]) -> str:
    """A record's agency: the list's; on a list from before lists named their agency that mixes programmes, the one
    agency of the record's own lines, or "" when they too are several."""
    if list_agency:
        return list_agency
    found = {reader.policy.agency_of(row.programme) for row in rows}
    return next(iter(found)) if len(found) == 1 else ""


def _first(rows: list[_Row], value: Callable[[_Row], _T | None]) -> _T | None:
    """The first non-blank value of a field over a person's rows (``_build`` reported rows that disagree)."""
    return next((found for row in rows if (found := value(row)) is not None), None)


def _beneficiary(rows: list[_Row], header: _Header, errors: RowLog[RowError], agency: str) -> Beneficiary | None:
    """One person from their rows: first non-blank value of each field; status rules checked here."""
    first = rows[0]
    status = _first(rows, lambda row: row.status)
    death_date = _first(rows, lambda row: row.death_date)
    if death_date is not None and status is None:
        status = BeneficiaryStatus.DECEASED  # a recorded death stops monthly payments even if no status was typed
    if death_date is not None and status is not BeneficiaryStatus.DECEASED:
        row = next(row for row in rows if row.death_date is not None)
        status_row = next(row for row in rows if row.status is not None)
        errors.append(RowError(row.number, header.column("status"), "bad_status", value=status_row.status_text))
        return None
    if status is BeneficiaryStatus.DECEASED and death_date is None:
        row = next(row for row in rows if row.status is BeneficiaryStatus.DECEASED)
        column = "death_date" if "death_date" in header.index else "status"
        errors.append(RowError(row.number, header.column(column), "death_date_needed"))
        return None
    reason = ""
    if status is BeneficiaryStatus.SUSPENDED:
        row = next(row for row in rows if row.status is BeneficiaryStatus.SUSPENDED)
        reason = row.note or next((r.note for r in rows if r.note), "") or SUSPENDED_REASON
    representative: Representative | None = None
    for row in rows:
        if row.representative:
            representative = Representative(row.representative, row.representative_id)
            break
    return Beneficiary(
        record_code=first.record_code,
        full_name=first.full_name,  # the fields every row has come from the first row
        commune_code=first.commune_code,
        category=first.category,
        birth_year=_first(rows, lambda row: row.birth_year),
        gender=_first(rows, lambda row: row.gender),
        id_number=_first(rows, lambda row: row.id_number),
        village=next((row.village for row in rows if row.village), None),
        point_id=first.point_id,
        status=status or BeneficiaryStatus.ACTIVE,
        status_reason=reason,
        date_of_death=death_date,
        representative=representative,
        agency=agency,
    )


def _digest(path: Path) -> str:
    """The file's SHA-256, read in blocks (the list is never held whole)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _size(size: int) -> str:
    """A file size for people: "94,6 MB"."""
    return f"{size / (1024 * 1024):,.1f} MB".replace(",", " ").replace(".", ",").replace(" ", ".")


def read_list(
    path: str | Path,
    *,
    policy: PolicyReference | None = None,
    payout_period: str | None = None,
    default_province_code: str | None = None,
    limits: ListLimits = LIMITS,
    progress: Callable[[int], None] | None = None,
    agency: str | None = None,
) -> ParsedList:
    """Read a payout list; raises ``BadInputError`` for an unusable file, ``ListImportError`` listing the bad rows.

    ``payout_period`` (``YYYY-MM`` or ``MM/YYYY``) overrides the period named in the title. Record codes without a
    province prefix take ``default_province_code``. Every dimension of the file is bounded by ``limits`` before and
    while it is read (see ``app.lists.limits``); ``progress`` is called with the row reached every few thousand rows.

    ``agency`` (a code of ``regimes.json`` "agencies": ``so_noi_vu``, ``bhxh``…) says whose list it is: its layout is
    read, its regimes and categories are judged against that agency's catalogue, and a row of another agency's
    programme is refused for that row. Without it the agency is detected from the header and title rows (BHXH's
    layout), else it is the one agency of the lines' programmes, else "" (see ``app.lists.layouts``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise BadInputError("list_bad_format", suffix=suffix or path.name)
    period_argument: str | None = None
    if payout_period is not None:
        try:
            period_argument = parse_list_period(payout_period)
        except ValueError:
            raise BadInputError("bad_period", value=payout_period) from None
    if not path.is_file():
        raise BadInputError("list_file_not_found", path=str(path))
    try:
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise BadInputError("list_file_too_large", size=_size(size), limit=_size(limits.file_bytes))
        digest = _digest(path)
    except OSError as exc:
        raise BadInputError("list_unreadable", detail=str(exc)) from None
    policy = policy if policy is not None else load_policy()
    told = told_agency(policy, agency)

    def choose(header_row: Row, title_rows: Sequence[Row]) -> Layout:
        return choose_layout(policy, told, header_row, title_rows)

    book: XlsxBook | None = None
    try:
        if suffix == ".xlsx":
            book, table = _open_xlsx(path, limits, choose)
        else:
            table = _open_csv(path, limits, choose)
        try:
            reader = _Reader(table, policy, default_province_code, limits, progress)
            reader.read_rows()
        finally:
            table.close()
    except OSError as exc:
        raise BadInputError("list_unreadable", detail=str(exc)) from None
    finally:
        if book is not None:
            book.close()

    if not reader.data_rows and not reader.errors:
        raise BadInputError("list_empty")
    period = _list_period(period_argument, table, reader.rows)
    if period is None:
        if not reader.errors:  # else the period is missing only because the rows that give it are wrong
            reader.errors.append(RowError(table.header.row, table.header.column("period"), "bad_period", value=""))
        raise ListImportError(reader.errors.entries(), path=str(path), total=len(reader.errors))
    return _build(reader, period, path, digest)
