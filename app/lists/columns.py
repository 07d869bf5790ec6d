"""The columns of a payout list: a stable id for each, and the Vietnamese header our own files are written with.

Headers in real lists vary ("Họ tên", "HỌ VÀ TÊN", "Số tiền (đồng)"); the reader matches them to these ids.
"""

from __future__ import annotations

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

HEADERS: dict[str, str] = dict(COLUMNS)

REQUIRED: tuple[str, ...] = ("record_code", "full_name", "commune", "category", "regime", "amount")
"""Columns a list cannot be imported without."""
