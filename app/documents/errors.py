"""Messages of the documents feature (Vietnamese and English), and its typed input error.

Kept beside the documents rather than in ``app.domain.messages`` so this feature's sentences (what a verification
found, which option a document needs) live in one table the UI and the CLI both render.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.errors import BadInputError
from app.domain.messages import render

DOCUMENT_MESSAGES: dict[str, tuple[str, str]] = {
    "doc_point_not_found": ("Không tìm thấy điểm chi trả «{point}»", "Payout point “{point}” not found"),
    "doc_commune_not_found": ("Không tìm thấy xã/phường «{commune}»", "Commune “{commune}” not found"),
    "doc_option_required": (
        "Tài liệu «{kind}» cần tùy chọn {option}",
        "The “{kind}” document needs the option {option}",
    ),
    "doc_bad_date": ("Ngày không hợp lệ «{value}» (dùng YYYY-MM-DD hoặc dd/mm/yyyy)",
                     "Invalid date “{value}” (use YYYY-MM-DD or dd/mm/yyyy)"),
    "doc_bad_kind": ("Không có loại tài liệu «{kind}»", "No document kind “{kind}”"),
    "doc_no_schedule": (
        "Điểm chi trả «{point}» chưa có lịch chi trả trong kỳ {period}; hãy ghi --date",
        "Payout point “{point}” has no schedule in {period}; give --date",
    ),
    "doc_visit_payments": (
        "Biên nhận của một lần đến nhận cần từ 1 đến {most} khoản chi (đã cho {count})",
        "A visit's receipt needs 1 to {most} payments ({count} given)",
    ),
    "doc_visit_sessions": (
        "Các khoản chi của một lần đến nhận phải cùng một phiên chi trả (đã cho khoản chi của {count} phiên)",
        "The payments of one visit must be of one payout session (payments of {count} sessions given)",
    ),
    # verification: what was found
    "verify_match": (
        "KHỚP: {title} — mã xác thực {code} khớp sổ nhật ký hiện tại (bút toán #{first}–#{last})",
        "MATCHES: {title} — fingerprint {code} matches the current journal (entries #{first}–#{last})",
    ),
    "verify_match_no_entries": (
        "KHỚP: {title} — mã xác thực {code} khớp dữ liệu hiện tại (chưa có bút toán nào liên quan)",
        "MATCHES: {title} — fingerprint {code} matches the current data (no journal entry concerns it yet)",
    ),
    "verify_not_document": (
        "Tệp không phải tài liệu do Payout Desk in (không có bản ghi mã xác thực)",
        "The file is not a document printed by Payout Desk (no fingerprint record)",
    ),
    "verify_not_pdf": ("Không đọc được tệp PDF: {detail}", "Cannot read the PDF file: {detail}"),
    "verify_bad_text": (
        "«{text}» không phải mã xác thực (16 ký tự 0-9, A-F) hay nội dung mã QR của tài liệu",
        "“{text}” is neither a fingerprint (16 characters 0-9, A-F) nor a document's QR text",
    ),
    "verify_no_fingerprint": (
        "Tài liệu «{kind}» không mang mã xác thực (thông báo công khai), không có gì để đối chiếu",
        "A “{kind}” document carries no fingerprint (public notice); nothing to verify",
    ),
    "verify_record_altered": (
        "KHÔNG KHỚP: bản ghi mã xác thực trong tệp đã bị sửa (ghi {claimed}, tính lại được {actual})",
        "NO MATCH: the file's fingerprint record was altered (says {claimed}, recomputes to {actual})",
    ),
    "verify_page_code_altered": (
        "KHÔNG KHỚP: trang {pages} không mang đúng mã xác thực {code}",
        "NO MATCH: page(s) {pages} do not carry the fingerprint {code}",
    ),
    "verify_other_device": (
        "KHÔNG KHỚP: tài liệu được in từ thiết bị {device}, không phải sổ nhật ký của thiết bị này ({here})",
        "NO MATCH: the document was printed on device {device}, not from this device's journal ({here})",
    ),
    "verify_cannot_rederive": (
        "KHÔNG KHỚP: không dựng lại được tài liệu từ dữ liệu hiện tại: {detail}",
        "NO MATCH: the document cannot be rebuilt from the current data: {detail}",
    ),
    "verify_journal_changed": (
        "KHÔNG KHỚP: sổ nhật ký đã thay đổi sau khi in — tài liệu in đến bút toán #{printed_last}, nay có bút toán "
        "liên quan đến #{current_last} (chi thêm, hủy/điều chỉnh hoặc nhập bù sau khi in)",
        "NO MATCH: the journal changed after printing — the document covers entries up to #{printed_last}, now "
        "entries up to #{current_last} concern it (payments, reversals or back-entries made after printing)",
    ),
    "verify_journal_replaced": (
        "KHÔNG KHỚP: bút toán #{printed_last} trong sổ nhật ký không còn như lúc in (sổ đã bị thay/khôi phục)",
        "NO MATCH: journal entry #{printed_last} is not the one the document was printed from (journal replaced or "
        "restored)",
    ),
    "verify_content_changed": (
        "KHÔNG KHỚP: nội dung tính lại từ dữ liệu hiện tại khác nội dung đã in (danh sách hoặc khoản chi đã thay đổi)",
        "NO MATCH: the content rebuilt from the current data differs from what was printed (list or payments changed)",
    ),
    "verify_pages_altered": (
        "KHÔNG KHỚP: mã xác thực đúng nhưng nội dung các trang đã bị sửa (trang {pages}); ví dụ: «{sample}»",
        "NO MATCH: the fingerprint is right but the pages' text was altered (page(s) {pages}); e.g. “{sample}”",
    ),
    "verify_drawing_altered": (
        "KHÔNG KHỚP: chữ trên trang đúng nhưng hình vẽ (chữ ký, đường kẻ) ở trang {pages} khác bản in từ sổ nhật ký",
        "NO MATCH: the text is right but the drawing (signatures, rules) on page(s) {pages} differs from the journal's",
    ),
    "verify_match_sheets": (
        "KHỚP: {title} (mã của tệp {code}) — {count} danh sách theo cơ quan, mỗi danh sách khớp sổ nhật ký hiện "
        "tại: {sheets}",
        "MATCHES: {title} (file code {code}) — {count} sheets by agency, each matching the current journal: {sheets}",
    ),
    "verify_unknown_code": (
        "KHÔNG KHỚP: không có tài liệu nào của sổ nhật ký hiện tại mang mã xác thực {code}",
        "NO MATCH: no document of the current journal has the fingerprint {code}",
    ),
}


def document_message(code: str, lang: str, params: Mapping[str, Any]) -> str:
    """A documents message, falling back to the domain catalogue for shared codes."""
    if code in DOCUMENT_MESSAGES:
        vi, en = DOCUMENT_MESSAGES[code]
        template = en if lang == "en" else vi
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return template
    return render(code, lang, params)


class DocumentInputError(BadInputError):
    """A document cannot be made as asked (unknown point, missing option...); nothing was written."""

    def message(self, lang: str = "vi") -> str:
        return document_message(self.code, lang, self.params)
