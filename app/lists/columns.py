"""The columns of a payout list: a stable id for each, and the Vietnamese header our own files are written with.

Headers in real lists vary ("Họ tên", "HỌ VÀ TÊN", "Số tiền (đồng)"); the reader matches them to these ids.
"""

from __future__ import annotations

import re

from app.domain.text import fold

COLUMNS: tuple[tuple[str, str], ...] = (
    ("stt", "STT"),
    ("line_id", "Mã dòng"),
    ("record_code", "Mã hồ sơ"),
    ("full_name", "Họ và tên"),
    ("birth_year", "Năm sinh"),
    ("gender", "Giới tính"),
    ("id_number", "Số CCCD"),
    ("village", "Thôn/Tổ"),
    ("commune", "Xã/Phường"),
    ("commune_code", "Mã xã"),
    ("district", "Quận/Huyện"),
    ("province", "Tỉnh/Thành phố"),
    ("category", "Loại đối tượng"),
    ("programme", "Chương trình"),
    ("regime", "Chế độ"),
    ("period", "Kỳ"),
    ("amount", "Số tiền (đồng)"),
    ("method", "Hình thức"),
    ("point", "Điểm chi trả"),
    ("payout_date", "Ngày chi trả"),
    ("payout_hours", "Giờ chi trả"),
    ("status", "Trạng thái"),
    ("death_date", "Ngày mất"),
    ("representative", "Người đại diện"),
    ("representative_id", "CCCD người đại diện"),
    ("proxy_name", "Người được ủy quyền"),
    ("proxy_id", "CCCD người được ủy quyền"),
    ("authorisation_number", "Số giấy ủy quyền"),
    ("authorisation_until", "Ủy quyền đến ngày"),
    ("note", "Ghi chú"),
)
"""Column id → header as written by ``writer.write_list_xlsx``, in that order."""

EXTRA_COLUMNS: tuple[tuple[str, str], ...] = (  # read on lists in another layout than the Department's (see reader)
    ("address", "Địa chỉ"),
    ("arrears", "Truy lĩnh"),
    ("total", "Tổng số tiền được nhận"),
    ("authorisation_from", "Ủy quyền từ ngày"),
)
"""Columns other agencies' lists bring (BHXH's chi trả list): read, never written by ``write_list_xlsx``. "Truy lĩnh"
becomes its own arrears line; "Tổng số tiền được nhận" is checked against this month's amount plus arrears; "Địa chỉ"
gives the commune (and village) when the list has no commune column and its title names none."""

HEADERS: dict[str, str] = {**dict(COLUMNS), **dict(EXTRA_COLUMNS)}

REQUIRED: tuple[str, ...] = ("record_code", "full_name", "commune", "category", "regime", "amount")
"""Columns a list in the Department's (standard) layout cannot be imported without."""

BHXH_REQUIRED: tuple[str, ...] = ("record_code", "full_name", "regime", "amount")
"""Columns a BHXH chi trả list cannot be imported without: it has no "Loại đối tượng" (the regime gives the category)
and often no commune column (the title or the address gives the commune)."""

BHXH_HEADERS: dict[str, str] = {
    "record_code": "Mã số BHXH", "id_number": "Số định danh cá nhân", "birth_year": "Ngày sinh",
    "regime": "Loại chế độ", "period": "Tháng", "amount": "Số tiền tháng này",
}
"""How a BHXH list names the columns it shares with the Department's (for messages about a BHXH list without one)."""


# --- matching the headers of real lists ------------------------------------------------------------------------------
#
# Provinces, districts and communes each type their own headers. The variants below are compared after
# ``normalise_header`` (no accents, lower case, no "(đồng)"-style suffix, single spaces, no spaces around "/"), so
# "HỌ TÊN", "Họ  tên:" and "Họ tên (1)" all become "ho ten". A province whose list uses another spelling adds it here.

HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "so thu tu", "tt", "so tt"),
    "line_id": ("ma dong", "id dong", "ma khoan", "ma khoan chi"),
    "record_code": ("ma ho so", "ma doi tuong", "ma so ho so", "so ho so", "ma hs", "ma so", "ma dt", "so hs",
                    "ma so bhxh", "ma bhxh", "so so bhxh", "ma so bao hiem xa hoi", "so so bao hiem xa hoi"),
    "full_name": (
        "ho va ten", "ho ten", "ten doi tuong", "ho ten doi tuong", "ho va ten doi tuong", "ho va ten nguoi huong",
        "ho ten nguoi huong", "ten",
    ),
    "birth_year": ("nam sinh", "ngay sinh", "ngay thang nam sinh", "ngay, thang, nam sinh"),
    "gender": ("gioi tinh", "gioi"),
    "id_number": (
        "so cccd", "cccd", "so can cuoc", "so dinh danh", "so cmnd/cccd", "cmnd/cccd", "so can cuoc cong dan",
        "so dinh danh ca nhan", "cccd/cmnd", "so cccd/cmnd",
    ),
    "village": ("thon/to", "thon", "to", "thon, to", "thon/ap", "ap", "khu pho", "to dan pho", "thon/xom", "xom",
                "thon/to dan pho", "thon, to dan pho"),
    "commune": ("xa/phuong", "xa", "phuong", "xa, phuong", "xa/phuong/thi tran", "xa, phuong, thi tran",
                "xa/phuong/dac khu"),
    "commune_code": ("ma xa", "ma xa/phuong", "ma don vi hanh chinh"),
    "district": ("quan/huyen", "huyen", "quan", "quan, huyen", "quan/huyen/thi xa"),
    "province": ("tinh/thanh pho", "tinh", "tinh/tp", "tinh, thanh pho"),
    "category": ("loai doi tuong", "doi tuong", "loai", "ma loai doi tuong", "nhom doi tuong"),
    "programme": ("chuong trinh", "nguon", "nguon chi tra"),
    "regime": ("che do", "loai tro cap", "noi dung", "khoan chi", "noi dung chi", "che do huong", "loai che do"),
    "period": ("ky", "ky chi tra", "thang", "ky huong", "thang huong", "ky/thang"),
    "amount": ("so tien", "so tien chi tra", "thanh tien", "muc huong", "so tien duoc nhan", "so tien duoc huong",
               "tien", "so tien thang nay", "so tien hang thang", "muc huong thang nay", "so tien ky nay",
               "so tien phai tra thang nay"),
    "method": ("hinh thuc", "hinh thuc chi tra", "hinh thuc nhan", "phuong thuc chi tra", "phuong thuc nhan"),
    "point": ("diem chi tra", "dia diem chi tra", "dia diem"),
    "payout_date": ("ngay chi tra", "ngay chi"),
    "payout_hours": ("gio chi tra", "thoi gian chi tra", "gio"),
    "status": ("trang thai", "tinh trang"),
    "death_date": ("ngay mat", "ngay chet", "ngay tu tran", "ngay tu", "ngay qua doi"),
    "representative": ("nguoi dai dien", "ho ten nguoi dai dien", "nguoi dai dien gia dinh", "dai dien than nhan"),
    "representative_id": ("cccd nguoi dai dien", "so cccd nguoi dai dien"),
    "proxy_name": ("nguoi duoc uy quyen", "ho ten nguoi duoc uy quyen", "nguoi nhan uy quyen", "nguoi nhan thay"),
    "proxy_id": ("cccd nguoi duoc uy quyen", "so cccd nguoi duoc uy quyen", "cccd nguoi nhan uy quyen"),
    "authorisation_number": ("so giay uy quyen", "giay uy quyen so", "so uy quyen", "giay uy quyen"),
    "authorisation_until": ("uy quyen den ngay", "het han uy quyen", "ngay het han uy quyen", "uy quyen den",
                            "thoi han uy quyen"),
    "note": ("ghi chu", "chu thich"),
    "address": ("dia chi", "noi cu tru", "dia chi cu tru", "dia chi thuong tru", "noi o", "dia chi lien he"),
    "arrears": ("truy linh", "so tien truy linh", "tien truy linh", "truy linh (neu co)"),
    "total": ("tong so tien duoc nhan", "tong so tien duoc linh", "tong so tien", "tong cong so tien",
              "tong so tien nhan", "tong tien"),
    "authorisation_from": ("uy quyen tu ngay", "ngay uy quyen", "ngay lap giay uy quyen", "uy quyen tu"),
}
"""Column id → header spellings seen on real lists, in their normalised form (see ``normalise_header``)."""

_PAREN_SUFFIX = re.compile(r"\s*[\(\[][^\(\)\[\]]*[\)\]]\s*$")
_SLASH_SPACES = re.compile(r"\s*/\s*")
_TRAILING_PUNCTUATION = ".:;,*-–—"


def normalise_header(text: str) -> str:
    """The comparable form of a header cell: folded, without "(đồng)"-like suffixes and trailing punctuation."""
    value = fold(text)
    while True:
        stripped = _PAREN_SUFFIX.sub("", value).rstrip(_TRAILING_PUNCTUATION).strip()
        if stripped == value:
            break
        value = stripped
    return _SLASH_SPACES.sub("/", value)


def _build_header_index() -> dict[str, str]:
    """Normalised header → column id; our own headers first, so they always win."""
    index: dict[str, str] = {}
    for column_id, header in (*COLUMNS, *EXTRA_COLUMNS):
        index.setdefault(normalise_header(header), column_id)
    for column_id, variants in HEADER_VARIANTS.items():
        for variant in variants:
            index.setdefault(normalise_header(variant), column_id)
    return index


HEADER_INDEX: dict[str, str] = _build_header_index()
"""Every accepted normalised header → its column id."""


def match_header(text: object) -> str | None:
    """The column id a header cell names, or None when it names none (numbers and blanks never match)."""
    if not isinstance(text, str) or not text.strip():
        return None
    return HEADER_INDEX.get(normalise_header(text))
