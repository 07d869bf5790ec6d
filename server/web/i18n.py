"""Console texts in Vietnamese (first) and English, and the formats of the page: dd/MM/yyyy, 2.789.000 ₫."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import pass_context

from app.domain.amendments import line_words as amendment_line_words
from app.domain.clock import VIETNAM, ProvinceTime
from app.domain.messages import render
from app.domain.money import format_vnd

T: dict[str, tuple[str, str]] = {
    "app": ("Bảng điều khiển tỉnh — chi trả trợ cấp, lương hưu", "Province console — allowances and pensions"),
    "signin": ("Đăng nhập", "Sign in"),
    "signout": ("Đăng xuất", "Sign out"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "wrong_password": ("Sai tên đăng nhập hoặc mật khẩu", "Wrong username or password"),
    "rate_limited": (
        "Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút",
        "Too many failed sign-ins; try again in 15 minutes",
    ),
    "not_console_role": (
        "Tài khoản này không dùng bảng điều khiển tỉnh",
        "This account cannot use the province console",
    ),
    "progress": ("Tiến độ chi trả", "Payout progress"),
    "flags": ("Cờ cần xem xét", "Flags to review"),
    "amend": ("Điều chỉnh", "Amendments"),
    "lists": ("Danh sách chi trả", "Payout lists"),
    # turns, the month being reported, the 12-month report
    "turns_listed": ("Lượt trong danh sách", "Turns on the list"),
    "turns_paid": ("Lượt đã chi", "Turns paid"),
    "turns_percent": ("% lượt đã chi", "% of turns paid"),
    "monthly_turns": ("Lượt hằng tháng (đã chi/DS)", "Monthly turns (paid/listed)"),
    "one_time_turns": ("Lượt một lần (đã chi/DS)", "One-time turns (paid/listed)"),
    "people_paid_listed": ("Người (đã chi/DS)", "People (paid/listed)"),
    "lines_paid_listed": ("Khoản (đã chi/DS)", "Lines (paid/listed)"),
    "unpaid_lines": ("Chưa chi (khoản)", "Unpaid (lines)"),
    "carried_lines": ("Chuyển kỳ sau (khoản)", "Carried over (lines)"),
    "moved_lines": ("Chuyển đi (khoản)", "Moved away (lines)"),
    "visits": ("Lần chi trả (mỗi lần một chữ ký)", "Payments (one signature each)"),
    "cash_out": ("Tiền mặt đã chi (₫)", "Cash paid (₫)"),
    "listed_amount": ("Số tiền theo danh sách (tiền mặt)", "Amount on the list (cash)"),
    "double_cash": ("Trong đó chi trùng, có cờ (₫)", "Of which paid twice, flagged (₫)"),
    "lines_cash": ("Tiền đã chi cho các khoản (₫)", "Cash paid for the lines (₫)"),
    "turns_tile": ("Lượt đã chi / lượt trong danh sách", "Turns paid / turns on the list"),
    "turns_split_tile": ("Lượt hằng tháng + một lần đã chi", "Monthly + one-time turns paid"),
    "account_tile": ("Chi qua tài khoản (không qua điểm chi, không tính ở các số trên)",
                     "Paid into accounts (not at a payout point, not in the figures above)"),
    "account_figures": ("{lines} khoản · {people} người · {amount}", "{lines} lines · {people} people · {amount}"),
    "account_lines_amount": ("{lines} khoản · {amount}", "{lines} lines · {amount}"),
    "double_tile": ("Chi trùng (có cờ, không tính thành lượt)", "Paid twice (flagged, never a turn)"),
    "regime_turns_note": ("Một lượt có khoản của hai chế độ được tính ở cả hai; số lần chi không chia theo chế độ.",
                          "A turn with lines of two regimes counts in each; payments are not split by regime."),
    "reported_month": ("Kỳ đang báo cáo", "Month being reported"),
    "newest_list": ("Kỳ mới nhất", "Newest list"),
    "month_final": ("Đã chốt báo cáo tháng {period}: {who}, {at}",
                    "The report of {period} was marked final: {who}, {at}"),
    "month_open": ("Báo cáo tháng {period} chưa chốt", "The report of {period} is not final yet"),
    "close_month": ("Chốt báo cáo tháng", "Mark the month's report final"),
    "reopen_month": ("Mở lại báo cáo tháng", "Reopen the month's report"),
    "close_agency": ("Cơ quan", "Agency"),
    "month_closed_done": ("Đã chốt báo cáo tháng {period}", "The report of {period} is marked final"),
    "already_final": ("Báo cáo tháng này đã được chốt", "This month's report is already final"),
    "not_final": ("Báo cáo tháng này chưa chốt, không cần mở lại",
                  "This month's report is not final; nothing to reopen"),
    "reason_required": ("Mở lại cần ghi lý do", "Reopening needs a reason"),
    "reason_too_long": ("Lý do quá dài (tối đa 500 ký tự)", "The reason is too long (500 characters at most)"),
    "no_list": ("Không có danh sách nào của kỳ này", "No list covers this month"),
    "bad_action": ("Thao tác không hợp lệ", "Not a valid action"),
    "year_report": ("Báo cáo 12 tháng", "12-month report"),
    "communes_with_beneficiaries": ("Xã có đối tượng", "Communes with beneficiaries"),
    "by_month": ("Theo tháng", "By month"),
    "range_total_note": ("Dòng tổng cộng đếm mỗi lượt một lần: một lượt chuyển kỳ sau có trong danh sách của hai "
                         "tháng, nên tổng có thể nhỏ hơn cộng các tháng.",
                         "The total counts each turn once: a turn carried over is on two months' lists, so the total "
                         "may be less than the months added up."),
    "range_too_long": ("Khoảng tháng quá dài: «{value}» (tối đa 36 tháng)",
                       "Too long a range: “{value}” (36 months at most)"),
    "year_report_note": ("Một lượt là một người, một cơ quan chi trả, một tháng của danh sách và một loại (hằng tháng "
                         "hoặc một lần). Chi trùng có cờ, không tính thành lượt.",
                         "A turn is one person, one agency, one list month and one kind (monthly or one-time). Double "
                         "payments are flagged and never counted as turns."),
    # flags by incident, words not codes
    "incident": ("Sự việc", "Incident"),
    "back_to_flags": ("← Danh sách cờ", "← Flags"),
    "flag_lines": ("Số khoản", "Lines"),
    "flag_amount": ("Số tiền", "Amount"),
    "incident_lines": ("Các khoản bị gắn cờ", "Lines flagged"),
    "incident_flags": ("{count} cờ, xử lý một lần", "{count} flags, decided once"),
    "payment_number": ("Lần chi {number}", "Payment {number}"),
    "flagged_payment": ("lần chi bị gắn cờ", "the flagged payment"),
    "earlier_payment": ("lần chi trước", "the earlier payment"),
    "entry_seq": ("bút toán số {seq} của máy", "the device's entry no. {seq}"),
    "own_proposal_note": (
        "Cách xử lý này do {name} đề xuất; cần một cán bộ khác phê duyệt.",
        "{name} proposed this resolution; another officer must approve it."),
    "proposed_by": ("Người đề xuất", "Proposed by"),
    "vietnam_time": ("giờ Việt Nam", "Vietnam time"),
    "detail_amount_mismatch": ("{line}: đã chi {paid}, danh sách ghi {listed}",
                               "{line}: paid {paid}, the list says {listed}"),
    "detail_suspended": ("Đang tạm dừng chi trả từ {start}: {reason}", "Payments suspended since {start}: {reason}"),
    "detail_clock_skew": ("Đồng hồ máy lệch khoảng {minutes} phút so với máy chủ",
                          "The device's clock was about {minutes} minutes off the server's"),
    "detail_revoked": ("Máy đã bị thu hồi lúc {at}", "The device was revoked at {at}"),
    "detail_fork": ("Máy ghi hai bút toán khác nhau cùng số thứ tự {seq} (thường do khôi phục từ bản sao lưu)",
                    "The device wrote two different entries numbered {seq} (usually after a restore from backup)"),
    "detail_chain_break": ("Bút toán số {seq} không nối tiếp nhật ký của máy",
                           "Entry no. {seq} does not follow on from the device's journal"),
    "detail_closure": ("Máy chốt {device_payments} lần chi, {device_total}; máy chủ tính {server_payments} lần chi, "
                       "{server_total}", "The device closed with {device_payments} payments, {device_total}; the "
                       "server counts {server_payments} payments, {server_total}"),
    "detail_proxy": ("Người được ủy quyền nhận cho {people} người trong tháng (tối đa {limit})",
                     "The proxy collected for {people} people this month (at most {limit})"),
    "detail_unknown_session": ("Không rõ ngày chi trả của lần chi này", "The payout day of this payment is unknown"),
    "detail_day_outside_device_communes": ("Ngày chi trả ở {day_commune}, ngoài các xã của máy",
                                           "The payout day was in {day_commune}, outside the device's communes"),
    "detail_unknown_person": ("Máy chủ không có hồ sơ đối tượng này", "The server holds no record of this person"),
    "detail_person_of_another_commune": ("Đối tượng thuộc {person_commune}, chi tại ngày chi trả của {day_commune}",
                                         "The person belongs to {person_commune}; paid on a payout day of "
                                         "{day_commune}"),
    "detail_out_of_range": ("Số tiền âm hoặc vượt mức tối đa {limit} một khoản: không tính vào số đã chi",
                            "An amount below zero or above the {limit} ceiling per line: not counted as paid"),
    "detail_bad_content": ("Nội dung bút toán không đọc được", "The entry's content could not be read"),
    "payments_of_person": ("Các lần chi cho đối tượng", "Payments to this person"),
    "payment_history_none": ("Chưa có lần chi nào", "No payments yet"),
    "reversed": ("đã đảo", "reversed"),
    "correct_death_date": ("Sửa ngày mất", "Correct the date of death"),
    "correct_death_help": (
        "Chỉ dùng khi ngày mất đã ghi bị sai: ghi thành một điều chỉnh mới (cần lý do); các lần chi được xét lại theo "
        "ngày mới.",
        "Only when the recorded date is wrong: recorded as a new amendment (a reason is needed); payments are judged "
        "again against the new date."),
    "audit_detail": ("Chi tiết", "Details"),
    "communes_n": ("{count} xã", "{count} communes"),
    "go_back": ("← Quay lại trang trước", "← Back to the previous page"),
    "from_address": ("Từ địa chỉ", "From address"),
    "communes_count": ("Số xã", "Communes"),
    "refused_rows": ("Dòng bị từ chối", "Rows refused"),
    "flag_count": ("Số cờ", "Flags"),
    "format": ("Định dạng", "Format"),
    "every_commune": ("Toàn tỉnh", "Whole province"),
    # one clock, deadlines, policy notices
    "times_on": ("Mọi thời gian trên trang theo {clock}", "Every time on this page is {clock}"),
    "deadlines": ("Hạn chót", "Deadlines"),
    "list_and_money_by": ("Danh sách và kinh phí trước ngày", "List and money by"),
    "report_by": ("Báo cáo trước ngày", "Report by"),
    "report_ready": ("đã chốt báo cáo đúng hạn", "report marked final in time"),
    "report_ready_late": ("đã chốt báo cáo nhưng quá hạn", "report marked final after its date"),
    "report_overdue": ("quá hạn, chưa chốt báo cáo", "overdue: report not marked final"),
    "report_pending": ("chưa đến hạn, chưa chốt", "not due yet, not marked final"),
    "report_no_date": ("lịch của cơ quan không có hạn báo cáo", "the agency's calendar has no report date"),
    "marked_final_at": ("chốt lúc", "marked final at"),
    "deadline_source": ("Căn cứ", "Basis"),
    "to_confirm": ("cần xác nhận", "to confirm"),
    "deadline_list": ("Xã có danh sách trên thiết bị kịp ngày chi",
                      "Communes whose list reached their devices in time"),
    "deadline_days": ("Ngày chi đã tổ chức theo lịch", "Scheduled payout days held"),
    "deadline_sessions": ("Phiên chi đã đóng", "Sessions closed"),
    "deadline_devices": ("Thiết bị đã đồng bộ hết", "Devices fully synced"),
    "late_communes": ("Xã chậm", "Late communes"),
    "what_is_late": ("Chậm ở đâu", "What is late"),
    "list_received": ("Nhận danh sách lúc", "List received"),
    "list_due": ("Cần có danh sách trước", "List needed by"),
    "late_list_late": ("danh sách chưa đến thiết bị trước ngày chi đầu tiên",
                       "the list had not reached a device by the first payout day"),
    "late_day_missed": ("có ngày chi theo lịch không mở phiên", "a scheduled payout day without a session"),
    "late_session_open": ("có phiên chưa đóng sau ngày chi", "a session still open after its day"),
    "late_not_synced": ("thiết bị còn bút toán chưa gửi", "a device still has entries to send"),
    "no_device": ("không có thiết bị nào phục vụ xã", "no device serves the commune"),
    "never": ("chưa bao giờ", "never"),
    "none_late": ("Không có xã nào chậm.", "No commune is late."),
    "all_communes": ("Mọi xã", "Every commune"),
    "no_list_for_month": ("Chưa có danh sách nào cho tháng này.", "No list covers this month yet."),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "policy": ("Chính sách", "Policy"),
    "policy_intro": (
        "Giải thích dễ hiểu và căn cứ pháp lý của từng chế độ, như giao dịch viên thấy trên máy; giải thích do tỉnh "
        "sửa và thông báo chính sách được gửi tới mọi máy ở lần đồng bộ sau.",
        "Each regime's plain explanation and legal basis as tellers see them on the desk; explanations the province "
        "corrects and policy notices reach every desk at its next sync."),
    "policy_notices": ("Thông báo chính sách", "Policy notices"),
    "policy_publish": ("Đăng thông báo mới", "Publish a notice"),
    "policy_publish_button": ("Đăng thông báo", "Publish"),
    "policy_title": ("Tiêu đề", "Title"),
    "policy_body": ("Nội dung", "Text"),
    "policy_effective_from": ("Hiệu lực từ", "Effective from"),
    "policy_regime": ("Chế độ", "Regime"),
    "policy_every_regime": ("Mọi chế độ", "Every regime"),
    "policy_about": ("Về", "About"),
    "policy_published": ("Người đăng, lúc", "Published by, at"),
    "policy_current": ("Đang hiệu lực", "Current"),
    "policy_withdraw": ("Thu hồi", "Withdraw"),
    "policy_withdrawn": ("Đã thu hồi", "Withdrawn"),
    "policy_no_notice": ("Chưa có thông báo nào.", "No notice yet."),
    "policy_explanation": ("Giải thích", "Explanation"),
    "policy_legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "policy_province_text": ("Giải thích của tỉnh", "The province's explanation"),
    "policy_builtin": ("Giải thích có sẵn", "Built-in explanation"),
    "policy_correct": ("Sửa giải thích", "Correct the explanation"),
    "policy_text_vi": ("Tiếng Việt", "Vietnamese"),
    "policy_text_en": ("Tiếng Anh (không bắt buộc)", "English (optional)"),
    "policy_save": ("Lưu và gửi tới các máy", "Save and send to the desks"),
    "policy_done_explanation": ("Đã lưu giải thích; các máy nhận ở lần đồng bộ sau.",
                                "Explanation saved; the desks receive it at their next sync."),
    "policy_done_notice": ("Đã đăng thông báo; các máy nhận ở lần đồng bộ sau.",
                           "Notice published; the desks receive it at their next sync."),
    "policy_done_withdrawn": ("Đã thu hồi thông báo.", "Notice withdrawn."),
    # public-notice postings, the satisfaction survey
    "postings": ("Niêm yết công khai", "Public posting"),
    "posting_rule": ("Thông báo chi trả phải được niêm yết công khai ít nhất {days} ngày trước ngày chi trả. Ngày chi "
                     "trả: ngày sớm nhất trong lịch chi trả của xã, nếu không có thì ngày mở phiên chi trả đầu tiên.",
                     "The payout notice must be posted publicly at least {days} days before the payout day. Payout "
                     "day: the earliest day of the commune's schedule, else the first day a payout session opened."),
    "posting_missing_title": ("Xã chưa niêm yết đúng hạn", "Communes without a notice posted in time"),
    "posting_none": ("chưa có bản ghi niêm yết", "no posting recorded"),
    "posting_late_by": ("niêm yết ngày {day}, chỉ {days} ngày trước ngày chi trả",
                        "posted on {day}, only {days} days before the payout day"),
    "posting_all_in_time": ("Mọi xã đã niêm yết đúng hạn.", "Every commune posted its notice in time."),
    "payout_day": ("Ngày chi trả", "Payout day"),
    "payout_day_schedule": ("theo lịch chi trả", "from the schedule"),
    "payout_day_session": ("ngày mở phiên đầu tiên", "first session opened"),
    "payout_day_unknown": ("chưa có ngày chi trả", "no payout day yet"),
    "posted_on": ("Ngày niêm yết", "Posted on"),
    "days_before": ("{days} ngày trước ngày chi trả", "{days} days before the payout day"),
    "posting_place": ("Nơi niêm yết", "Where"),
    "posting_officer": ("Cán bộ xã niêm yết", "Commune officer who posted it"),
    "recorded_by": ("Người ghi nhận", "Recorded by"),
    "photo": ("Ảnh", "Photo"),
    "photo_view": ("Xem ảnh", "View photo"),
    "posting_in_time": ("Đúng hạn", "In time"),
    "posting_late": ("Muộn", "Late"),
    "posting_missing": ("Chưa niêm yết", "Not posted"),
    "posting_not_judged": ("Đã niêm yết (chưa có ngày chi trả để so)", "Posted (no payout day to compare with yet)"),
    "survey": ("Khảo sát hài lòng", "Satisfaction survey"),
    "survey_rule": ("Câu trả lời không gắn với người trả lời hay khoản chi. Tỷ lệ chỉ hiện khi có từ {minimum} câu trả "
                    "lời; khoảng tin cậy 95 % (Wilson).",
                    "Answers are not linked to who answered or to any payment. A share is shown only from {minimum} "
                    "answers on; 95 % confidence interval (Wilson)."),
    "survey_q_on_time": ("Chi trả đúng thời gian", "Paid on time"),
    "survey_q_staff": ("Thái độ nhân viên bưu điện", "Post office staff's attitude"),
    "survey_q_officer": ("Hỗ trợ của cán bộ xã", "Commune officer's help"),
    "survey_on_time": ("đánh giá đúng thời gian", "said the payment was on time"),
    "survey_staff": ("đánh giá thái độ nhân viên từ bình thường trở lên",
                     "rated the staff's attitude normal or better"),
    "survey_officer": ("đánh giá cán bộ xã hỗ trợ từ bình thường trở lên",
                       "rated the commune officer's help normal or better"),
    "survey_interval": ("khoảng tin cậy 95 %: {low} – {high}", "95 % interval: {low} – {high}"),
    "survey_answers_n": ("{n} câu trả lời", "{n} answers"),
    "survey_too_few": ("Chưa đủ {minimum} câu trả lời", "Fewer than {minimum} answers"),
    "province_total": ("Toàn tỉnh", "Whole province"),
    # issue 12: agencies, one person across agencies' lists
    "agency": ("Cơ quan chi trả", "Agency"),
    "every_agency": ("Mọi cơ quan", "Every agency"),
    "agency_auto": ("Theo mẫu danh sách (tự nhận biết)", "From the list's layout (detected)"),
    "agency_help": (
        "Danh sách chỉ thay thế các khoản của cơ quan này tại các xã và kỳ của nó; danh sách của cơ quan khác giữ "
        "nguyên",
        "The list replaces only this agency's lines in its communes and period; other agencies' lists stay as "
        "they are"),
    "row": ("dòng", "row"),
    "several_agencies": ("Nhiều cơ quan", "Several agencies"),
    "persons": ("Đối tượng nhiều cơ quan", "People on several lists"),
    "conflicts": ("Hồ sơ cần đối chiếu", "Records to match"),
    "conflicts_intro": (
        "Cùng số định danh cá nhân nhưng khác họ tên hoặc năm sinh: hai hồ sơ chưa được gộp, mỗi hồ sơ vẫn chi trả "
        "riêng. Hãy đối chiếu giấy tờ rồi quyết định.",
        "One personal ID number with another name or birth year: the two records are not merged and each stays "
        "payable on its own. Check the papers, then decide."),
    "no_conflicts": ("Không có hồ sơ nào cần đối chiếu", "No records to match"),
    "record": ("Hồ sơ", "Record"),
    "listed_in": ("Danh sách (kỳ, dòng)", "List (period, row)"),
    "differs": ("Khác nhau ở", "Differs in"),
    "link": ("Là một người (gộp)", "One person (link)"),
    "separate": ("Là hai người (tách)", "Two people (separate)"),
    "undo": ("Hủy quyết định", "Undo the decision"),
    "decisions": ("Các quyết định đã ghi", "Decisions recorded"),
    "link_records": ("Gộp hai hồ sơ (không có số định danh)", "Link two records (without an ID number)"),
    "other_record": ("Mã hồ sơ kia", "The other record code"),
    "records_of_person": ("Hồ sơ của người này ở các cơ quan", "This person's records with each agency"),
    "death_elsewhere": (
        "Đã mất theo hồ sơ {record} của {agency} (ngày mất {date}): các khoản hằng tháng sau tháng mất của mọi cơ "
        "quan không được chi",
        "Deceased according to record {record} of {agency} (died {date}): no agency's monthly lines after the "
        "month of death may be paid"),
    "devices": ("Thiết bị", "Devices"),
    "staff": ("Nhân viên", "Staff"),
    "audit": ("Nhật ký thao tác", "Audit log"),
    "reports": ("Báo cáo quyết toán", "Settlement reports"),
    "period": ("Kỳ", "Period"),
    "from": ("Từ kỳ", "From"),
    "to": ("Đến kỳ", "To"),
    "show": ("Xem", "Show"),
    "commune": ("Xã/phường", "Commune"),
    "point": ("Điểm chi trả", "Payout point"),
    "people": ("Người", "People"),
    "lines": ("Khoản", "Lines"),
    "on_list": ("Trên danh sách", "On the list"),
    "paid": ("Đã chi", "Paid"),
    "unpaid": ("Chưa chi", "Unpaid"),
    "carried": ("Chuyển kỳ sau", "Carried over"),
    "moved": ("Chuyển đi", "Moved away"),
    "monthly": ("Hằng tháng", "Monthly"),
    "one_time": ("Một lần", "One-time"),
    "payments": ("Số lần chi (mỗi lần một chữ ký)", "Payments (one signature each)"),
    "paid_earlier": ("Đã chi kỳ trước", "Paid in an earlier month"),
    "barred": ("Không chi: sau tháng đối tượng mất", "Not payable: after the month of death"),
    "cash_paid": ("Tiền mặt đã chi", "Cash paid"),
    "amount": ("Số tiền", "Amount"),
    "percent": ("% danh sách", "% of the list"),
    "total": ("Tổng cộng", "Total"),
    "summary": ("Tổng hợp toàn tỉnh", "Province summary"),
    "communes_covered": ("Xã có đối tượng", "Communes with beneficiaries"),
    "by_regime": ("Theo chương trình và chế độ", "By programme and regime"),
    "device": ("Thiết bị", "Device"),
    "last_sync": ("Đồng bộ lần cuối", "Last sync"),
    "pending": ("Chờ gửi", "Pending"),
    "entries": ("Bút toán", "Entries"),
    "status": ("Trạng thái", "Status"),
    "active": ("Đang dùng", "Active"),
    "revoked": ("Đã thu hồi", "Revoked"),
    "revoke": ("Thu hồi", "Revoke"),
    "reason": ("Lý do", "Reason"),
    "kind": ("Loại", "Kind"),
    "state": ("Tình trạng", "State"),
    "open": ("Đang mở", "Open"),
    "pending_approval": ("Chờ phê duyệt", "Awaiting approval"),
    "resolved": ("Đã xử lý", "Resolved"),
    "all": ("Tất cả", "All"),
    "record_code": ("Mã hồ sơ", "Record code"),
    "name": ("Họ tên", "Name"),
    "created": ("Ngày tạo", "Created"),
    "also_seen_by": ("Cũng hiện với xã", "Also shown to the communes"),
    "evidence": ("Bằng chứng", "Evidence"),
    "teller": ("Giao dịch viên", "Teller"),
    "recorded_at": ("Thời điểm chi", "Paid at"),
    "received_at": ("Máy chủ nhận", "Received"),
    "recipient": ("Người nhận", "Recipient"),
    "signature": ("Chữ ký", "Signature"),
    "resolve": ("Ghi kết quả xử lý", "Record a resolution"),
    "outcome": ("Kết quả", "Outcome"),
    "write_off": ("Số tiền xóa nợ", "Amount written off"),
    "save": ("Lưu", "Save"),
    "approve": ("Phê duyệt", "Approve"),
    "reject": ("Từ chối", "Reject"),
    "history": ("Lịch sử xử lý", "History"),
    "needs_second": ("Xóa nợ cần cán bộ thứ hai phê duyệt", "A write-off needs a second officer's approval"),
    "outcome_recovered": ("Đã thu hồi tiền từ người nhận", "Recovered from the beneficiary"),
    "outcome_legitimate": (
        "Hợp lệ (ví dụ: người đại diện của người đã mất)",
        "Legitimate (e.g. representative of the deceased)",
    ),
    "outcome_write_off": ("Xóa nợ (cần phê duyệt)", "Write off (needs approval)"),
    "outcome_corrected": ("Đã điều chỉnh bằng bút toán đảo", "Corrected by a reversal"),
    "outcome_other": ("Khác", "Other"),
    "death": ("Báo tử", "Record a death"),
    "date_of_death": ("Ngày mất", "Date of death"),
    "representative": ("Người đại diện gia đình", "Family representative"),
    "id_number": ("Số CCCD", "ID number"),
    "suspend": ("Tạm dừng chi trả", "Suspend payments"),
    "resume": ("Tiếp tục chi trả", "End the suspension"),
    "amount_change": ("Đổi số tiền một khoản", "Change a line's amount"),
    "new_line": ("Thêm khoản", "Add a line"),
    "new_person": ("Thêm đối tượng mới", "Add a beneficiary"),
    "line": ("Khoản", "Line"),
    "regime": ("Chế độ", "Regime"),
    "programme": ("Chương trình", "Programme"),
    "category": ("Loại đối tượng", "Category"),
    "birth_year": ("Năm sinh", "Birth year"),
    "village": ("Thôn/tổ", "Village"),
    "find": ("Tìm", "Find"),
    "done": ("Đã ghi nhận", "Recorded"),
    "upload_list": ("Tải lên danh sách kỳ mới", "Upload next month's list"),
    "file": ("Tệp (.xlsx, .csv)", "File (.xlsx, .csv)"),
    "upload": ("Tải lên", "Upload"),
    "list_errors": ("Danh sách có lỗi — không nhập dòng nào", "The list has errors — nothing was imported"),
    "list_job": ("Nhập danh sách", "Importing a list"),
    "list_job_starting": ("Đang bắt đầu đọc tệp {file}…", "Starting to read {file}…"),
    "list_job_reading": ("Đang đọc tệp {file}: đã đọc {rows} dòng…", "Reading {file}: {rows} rows read…"),
    "list_job_storing": ("Đã đọc xong tệp {file}; đang lưu danh sách…", "{file} is read; storing the list…"),
    "list_job_refresh": ("Trang tự cập nhật; máy chủ vẫn phục vụ các thiết bị trong lúc nhập.",
                         "This page refreshes itself; the server keeps serving the devices meanwhile."),
    "list_job_failed": ("Chưa nhập gì", "Nothing was imported"),
    "enrol_code": ("Mã đăng ký thiết bị", "Device enrolment code"),
    "make_code": ("Tạo mã đăng ký", "Make an enrolment code"),
    "code_once": (
        "Mã chỉ hiện một lần, dùng được một lần, hết hạn sau 72 giờ",
        "Shown once, usable once, expires in 72 hours",
    ),
    "role": ("Vai trò", "Role"),
    "add": ("Thêm", "Add"),
    "disable": ("Khóa", "Disable"),
    "enable": ("Mở khóa", "Enable"),
    "reset_password": ("Đặt lại mật khẩu", "Reset password"),
    "full_name": ("Họ và tên", "Full name"),
    "communes_list": (
        "Các xã (mã, cách nhau bởi dấu phẩy; * = toàn tỉnh)",
        "Communes (codes, comma separated; * = all)",
    ),
    "when": ("Lúc", "When"),
    "who": ("Ai", "Who"),
    "what": ("Việc", "What"),
    "technical_detail": ("Chi tiết kỹ thuật (cho người kiểm tra)", "Technical detail (for investigators)"),
    "target": ("Đối tượng", "Target"),
    "download_pdf": ("Tải PDF", "PDF"),
    "download_xlsx": ("Tải Excel", "Excel"),
    "province_report": ("Toàn tỉnh", "Whole province"),
    "print": ("In trang này", "Print this page"),
    "none": ("Không có", "None"),
    "later": ("Chi kỳ sau", "Paid later"),
    "contradictions": ("Mâu thuẫn danh sách", "List contradictions"),
    "death_paid_after": ("Chi cho chính đối tượng hoặc người được ủy quyền từ ngày mất, hoặc trợ cấp hằng tháng của "
                         "tháng sau tháng mất", "Paid to the person or a proxy on or after the date of death, or a "
                         "monthly allowance for a month after the month of death"),
    "death_not_representative": ("Khoản liên quan đến việc đối tượng mất chi cho người không phải người đại diện "
                                 "đã ghi "
                                 "nhận", "A death-related line paid to someone other than the recorded representative"),
    "death_found_after": ("phát hiện khi ghi nhận ngày mất, sau khi đã chi", "found when the death was recorded, after "
                          "the payment"),
    "contradiction": ("Mâu thuẫn", "Contradiction"),
    "list_contradicts": ("Danh sách mâu thuẫn với điều chỉnh đang giữ — giá trị đang giữ vẫn giữ nguyên, "
                         "chờ quyết định",
                         "The list contradicts standing amendments — the standing values hold until decided"),
    "decided": ("Đã quyết định", "Decided"),
    "keep": ("Giữ điều chỉnh", "Keep the amendment"),
    "accept": ("Theo danh sách", "Accept the list's value"),
    "decide": ("Quyết định", "Decide"),
    "list_says": ("Danh sách ghi", "The list says"),
    "stands": ("Đang giữ", "What stands"),
    "since": ("Ghi nhận", "Recorded"),
    "by": ("Người ghi nhận", "Recorded by"),
    "decision": ("Quyết định", "Decision"),
    "amendments_of": ("Các điều chỉnh đã ghi nhận", "Amendments recorded"),
    "choice_keep": (
        "Giữ điều chỉnh (giá trị của danh sách bị bỏ qua)",
        "Keep the amendment (the list's value is set aside)",
    ),
    "choice_accept": (
        "Theo danh sách (ghi thành điều chỉnh mới, cần lý do)",
        "Accept the list's value (recorded as a new amendment; a reason is needed)",
    ),
}


ERRORS: dict[str, tuple[str, str]] = {
    # the console's own refusals
    "csrf": ("Biểu mẫu đã hết hạn hoặc không hợp lệ; hãy tải lại trang",
             "The form expired or is invalid; reload the page"),
    "forbidden": ("Không có quyền với xã/chức năng này", "You have no access to this commune or function"),
    "not_found": ("Không tìm thấy", "Not found"),
    "bad_period": ("Kỳ không hợp lệ: «{value}» (năm-tháng, ví dụ 2026-12)",
                   "Not a valid period: “{value}” (year-month, e.g. 2026-12)"),
    "bad_date": ("Ngày không hợp lệ: «{value}» (ngày/tháng/năm, ví dụ 05/12/2026)",
                 "Not a valid date: “{value}” (day/month/year, e.g. 05/12/2026)"),
    "bad_amount": ("Số tiền không hợp lệ: «{value}» (số đồng, ví dụ 2.789.000)",
                   "Not a valid amount: “{value}” (whole đồng, e.g. 2.789.000)"),
    "unknown_action": ("Không có thao tác điều chỉnh «{value}»", "There is no amendment “{value}”"),
    "person_incomplete": ("Cần nhập mã hồ sơ, họ tên và loại đối tượng",
                          "A record code, a full name and a category are required"),
    "no_file": ("Chưa chọn tệp danh sách", "No list file was chosen"),
    "bad_agency": ("Cần chọn cơ quan chi trả của danh sách", "Choose the agency whose list this is"),
    "same_record": ("Cần hai hồ sơ khác nhau", "Two different records are needed"),
    "bad_link_action": ("Quyết định không hợp lệ", "Not a valid decision"),
    "nothing_to_undo": ("Không có quyết định nào về hai hồ sơ này", "There is no decision about these two records"),
    "file_too_large": ("Tệp quá lớn: tối đa {limit} MB", "The file is too large: at most {limit} MB"),
    "list_import_busy": ("Đang nhập một danh sách khác; hãy đợi xong rồi tải lên",
                         "Another list is being imported; wait until it is done, then upload"),
    "list_job_not_found": ("Không còn thông tin về lần nhập này (máy chủ đã khởi động lại hoặc đã lâu); "
                           "xem danh sách các lần nhập bên dưới",
                           "This import is no longer known (the server restarted, or it was long ago); "
                           "see the imports below"),
    "list_import_memory": ("Danh sách cần nhiều bộ nhớ hơn mức cho phép khi nhập; chưa nhập gì. "
                           "Hãy chia danh sách thành nhiều tệp",
                           "The list needs more memory than an import may use; nothing was imported. "
                           "Split it into several files"),
    "list_import_timeout": ("Nhập danh sách quá {minutes} phút nên đã dừng; chưa nhập gì",
                            "The import took more than {minutes} minutes and was stopped; nothing was imported"),
    "list_import_stopped": ("Việc nhập danh sách dừng giữa chừng (có thể do vượt giới hạn bộ nhớ); chưa nhập gì",
                            "The import stopped before the end (perhaps over its memory limit); nothing was "
                            "imported"),
    "list_import_failed": ("Lỗi máy chủ khi nhập danh sách ({detail}); chưa nhập gì. Hãy báo quản trị viên",
                           "A server error while importing the list ({detail}); nothing was imported. Tell the "
                           "administrator"),
    # amendments refused (server.province.AmendError codes)
    "unknown_person": ("Không có đối tượng mã hồ sơ «{record_code}»",
                       "No beneficiary with record code “{record_code}”"),
    "death_in_future": ("Ngày mất không thể sau hôm nay", "The date of death cannot be in the future"),
    "suspension_needs_reason": ("Tạm dừng chi trả cần ghi lý do", "A suspension needs a reason"),
    "person_deceased": ("Đối tượng đã mất: không tạm dừng hay tiếp tục chi trả được",
                        "The beneficiary is deceased: payments cannot be suspended or resumed"),
    "not_suspended": ("Đối tượng không bị tạm dừng chi trả", "The beneficiary is not suspended"),
    "negative_amount": ("Số tiền phải không âm", "The amount must not be negative"),
    "unknown_line": ("Đối tượng không có khoản «{line}»", "The beneficiary has no line “{line}”"),
    "bad_new_line": ("Khoản mới không hợp lệ: hãy kiểm tra kỳ, chương trình, chế độ và loại khoản",
                     "The new line is not valid: check its period, programme, regime and kind"),
    "line_exists": ("Khoản «{line}» đã có", "Line “{line}” already exists"),
    "record_exists": ("Mã hồ sơ «{record_code}» đã có", "Record code “{record_code}” already exists"),
    "unknown_commune": ("Không có xã mã «{commune}»", "No commune with code “{commune}”"),
    "unknown_contradiction": ("Không có mâu thuẫn số {number}", "There is no contradiction number {number}"),
    "contradiction_superseded": (
        "Mâu thuẫn số {number}: điều chỉnh đã thay đổi từ khi nhập danh sách, không quyết định được nữa. Nay đang "
        "giữ: {stands_vi}",
        "Contradiction {number}: the amendment changed since the list was imported, so it can no longer be decided. "
        "Now stands: {stands_en}"),
    "already_decided": ("Mâu thuẫn số {number} đã được quyết định", "Contradiction {number} was already decided"),
    "decision_needs_reason": ("Theo danh sách cần ghi lý do", "Accepting the list's value needs a reason"),
    "bad_choice": ("Cần chọn giữ điều chỉnh hoặc theo danh sách", "Choose to keep the amendment or accept the list"),
    # staff accounts refused (server.accounts.AccountError codes)
    "bad_user": ("Cần tên đăng nhập, mật khẩu và một vai trò hợp lệ",
                 "A username, a password and a valid role are required"),
    "weak_password": ("Mật khẩu cần ít nhất 6 ký tự", "A password needs at least 6 characters"),
    "unknown_agency": ("Không có cơ quan «{agency}»", "There is no agency “{agency}”"),
    "unknown_user": ("Không có nhân viên «{username}»", "No staff member “{username}”"),
    # flag actions not allowed (server.flags.FlagError codes)
    "not_open": ("Cờ này không còn mở", "This flag is no longer open"),
    "bad_outcome": ("Kết quả xử lý không hợp lệ", "Not a valid outcome"),
    "reason_required": ("Cần ghi lý do", "A reason is required"),
    "bad_write_off": ("Xóa nợ cần số tiền lớn hơn 0", "A write-off needs an amount above zero"),
    "not_pending": ("Cờ này không có gì chờ phê duyệt", "Nothing on this flag awaits approval"),
    "same_officer": ("Cần một cán bộ khác phê duyệt", "A second officer must approve"),
    "representative_needed": ("Cần ghi họ tên người đại diện gia đình", "The family representative's name is needed"),
    "own_proposal": ("Bạn đã đề xuất cách xử lý này; cần một cán bộ khác phê duyệt",
                     "You proposed this resolution; another officer must approve it"),
    "rejection_needs_reason": ("Từ chối cần ghi lý do", "A rejection needs a reason"),
}
"""What the error page says, by the key of the refusal; ``{name}`` placeholders are filled from its params."""


WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "recipient": {"self": ("Chính chủ", "The person"), "proxy": ("Người được ủy quyền", "Authorised proxy"),
                  "representative": ("Đại diện gia đình", "Family representative")},
    "status": {"active": ("Đang hưởng", "Active"), "suspended": ("Tạm dừng", "Suspended"),
               "deceased": ("Đã mất", "Deceased")},
    "entry": {"payment": ("Chi trả", "Payment"), "reversal": ("Bút toán đảo", "Reversal"),
              "session_opened": ("Mở phiên", "Session opened"), "session_closed": ("Chốt ngày", "Day closed")},
    "evidence": {"signature": ("Ký trên màn hình", "Signed on screen"), "thumbprint": ("Điểm chỉ", "Thumbprint"),
                 "paper": ("Ký trên giấy", "Signed on paper")},
    "line_kind": {"recurring": ("Hằng tháng", "Monthly"), "one_time": ("Một lần", "One-time"),
                  "arrears": ("Truy lĩnh", "Arrears"), "death_related": ("Chế độ khi mất", "On death")},
    "role": {"teller": ("Giao dịch viên", "Teller"), "supervisor": ("Giám sát viên", "Supervisor"),
             "officer": ("Cán bộ tỉnh", "Province officer"), "admin": ("Quản trị hệ thống", "Administrator")},
    "subject": {"death": ("Đối tượng đã mất", "A death"), "death_date": ("Ngày mất", "The date of death"),
                "suspension": ("Tạm dừng chi trả", "A suspension"),
                "representative": ("Người đại diện gia đình", "The family representative"),
                "amount": ("Số tiền một khoản", "A line's amount"),
                "line_dropped": ("Khoản đã thêm bị danh sách bỏ", "A line added, dropped by the list")},
    "audit": {
        "sign_in": ("Đăng nhập", "Signed in"), "sign_out": ("Đăng xuất", "Signed out"),
        "sign_in_refused": ("Đăng nhập bị từ chối", "Sign-in refused"),
        "list_import": ("Nhập danh sách chi trả", "Payout list imported"),
        "amend_death": ("Ghi nhận đối tượng mất", "Death recorded"),
        "amend_suspend": ("Tạm dừng chi trả", "Payments suspended"),
        "amend_resume": ("Tiếp tục chi trả", "Payments resumed"),
        "amend_amount": ("Điều chỉnh số tiền", "Amount changed"),
        "amend_new_line": ("Thêm khoản chi", "Line added"),
        "amend_representative": ("Ghi nhận người đại diện", "Representative recorded"),
        "person_add": ("Thêm đối tượng", "Person added"),
        "person_link": ("Gộp hai hồ sơ là một người", "Two records linked as one person"),
        "person_separate": ("Tách hai hồ sơ là hai người", "Two records separated"),
        "person_clear": ("Hủy quyết định gộp/tách", "Link/separate decision undone"),
        "contradiction_keep": ("Giữ điều chỉnh (danh sách mâu thuẫn)", "Amendment kept (list contradicted it)"),
        "contradiction_accept": ("Nhận giá trị của danh sách (mâu thuẫn)", "List's value accepted (contradiction)"),
        "flag_resolve": ("Xử lý cờ", "Flag resolved"), "flag_approve": ("Phê duyệt xóa nợ", "Write-off approved"),
        "flag_reject": ("Từ chối xóa nợ", "Write-off rejected"),
        "device_revoke": ("Thu hồi thiết bị", "Device revoked"),
        "enrol_code": ("Tạo mã đăng ký thiết bị", "Enrolment code made"),
        "staff_save": ("Lưu tài khoản nhân viên", "Staff account saved"),
        "staff_enable": ("Mở lại tài khoản", "Account enabled"),
        "staff_disable": ("Khóa tài khoản", "Account disabled"),
        "staff_password_reset": ("Đặt lại mật khẩu", "Password reset"),
        "report_download": ("Tải báo cáo quyết toán", "Settlement report downloaded"),
        "month_final": ("Chốt báo cáo tháng", "Month's report marked final"),  # issue 13 (figures)
        "month_reopen": ("Mở lại báo cáo tháng", "Month's report reopened"),  # issue 13 (figures)
        "year_report_download": ("Tải báo cáo 12 tháng", "12-month report downloaded"),  # issue 13 (figures)
    },
}


def name_of(policy: Any, kind: str, code: str | None, lang: str) -> str:
    """A code in words: a regime, a programme ("uu_dai/monthly" also works), a category, a recipient kind, a status."""
    if not code:
        return "—"
    if kind == "regime" and "/" in code:
        programme, regime = code.split("/", 1)
        return f"{name_of(policy, 'programme', programme, lang)} — {name_of(policy, 'regime', regime, lang)}"
    if kind == "regime":
        info = policy.regime(code)
        return (info.name_en if lang == "en" else info.name) if info else code
    if kind == "programme":
        info = policy.programmes.get(code)
        return (info.name_en if lang == "en" else info.name) if info else code
    if kind == "category":
        return policy.category_name(code, lang)
    if kind == "agency":
        return str(policy.agency_name(code, lang))
    vi_en = WORDS.get(kind, {}).get(code)
    return (vi_en[1] if lang == "en" else vi_en[0]) if vi_en else code


def line_words(policy: Any, key: str | None, lang: str, period: str | None = None, programme: str | None = None,
               regime: str | None = None) -> str:
    """A line in words ("Trợ cấp hằng tháng kỳ 12/2026"), said as ``app.domain.amendments.line_words`` says it on
    every page, report and command line; from its key when the key is made of its parts (record|period|programme|
    regime). A list's own line ID, or parts a device sent wrong, stay as they came: never a failed page."""
    if not key:
        return "—"
    parts = key.split("|")
    if not regime and len(parts) == 4:
        regime = parts[3]
    if not regime:
        return key
    try:
        return amendment_line_words(str(regime), key, lang, policy, str(period) if period else None)
    except ValueError:
        return key


def translate(key: str, lang: str) -> str:
    vi, en = T.get(key, (key, key))
    return en if lang == "en" else vi


def error_text(key: str, lang: str, params: dict[str, Any] | None = None) -> str:
    """The error page's sentence for ``key`` in ``lang`` only (never both languages), with ``params`` filled in."""
    vi, en = ERRORS.get(key, ERRORS["not_found"])
    text = en if lang == "en" else vi
    try:
        return text.format(**(params or {}))
    except (KeyError, IndexError, ValueError):
        return text


def flag_text(kind: str, lang: str) -> str:
    return render(f"flag_{kind}", lang, {})


def number(value: int | None, lang: str = "vi") -> str:
    """A whole number as the page's readers write it: 1.486 in Vietnamese, 1,486 in English."""
    text = f"{int(value or 0):,}"
    return text if lang == "en" else text.replace(",", ".")


def vnd(amount: int | None, lang: str = "vi") -> str:
    """An amount of đồng: 2.789.000 ₫ in Vietnamese, 2,789,000 ₫ in English (the đồng sign in both: one symbol on
    every page and paper, and number columns keep their width; only the digit grouping follows the language)."""
    if lang != "en":
        return format_vnd(int(amount or 0))
    return f"{number(amount, 'en')} ₫"


def day(value: str | dt.datetime | dt.date | None, clock: ProvinceTime = VIETNAM) -> str:
    """A calendar date → dd/MM/yyyy as it is; an instant → dd/MM/yyyy HH:MM on the province's clock (``clock``: the
    server's ``settings.province_time``, which the console passes; Vietnam time by default).

    The server keeps instants in UTC (``format_timestamp``); an officer reads them on the same clock as the teller's
    screen and paper, so 23:30 UTC on 30/11 shows as 06:30 on 01/12."""
    if not value:
        return "—"
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    else:
        text = str(value)
        if len(text) <= 10:
            return f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # the server writes every instant in UTC
    return clock.format_datetime(moment)


def clock_name(clock: ProvinceTime, lang: str) -> str:
    """The words for the clock times are shown on: "giờ Việt Nam" / "Vietnam time" for Vietnam's zone, else the
    zone's IANA name with its offset (``ProvinceTime.label``, which the printed reports use too)."""
    return clock.label(lang)


def period(value: str | None) -> str:
    return f"{value[5:7]}/{value[0:4]}" if value and len(value) >= 7 else "—"


def percent(value: float, lang: str = "vi", digits: int = 1) -> str:
    """A share in the page's format: 99,98 % in Vietnamese, 99.98 % in English (``digits`` after the point)."""
    text = f"{value:.{max(0, min(int(digits), 4))}f}"
    return (text if lang == "en" else text.replace(".", ",")) + " %"


@pass_context
def number_filter(context: Any, value: int | None) -> str:
    """``|number`` in a template: in the language of the page being rendered (its ``lang``)."""
    return number(value, context.get("lang", "vi"))


@pass_context
def vnd_filter(context: Any, amount: int | None) -> str:
    """``|vnd`` in a template, in the page's language."""
    return vnd(amount, context.get("lang", "vi"))


@pass_context
def percent_filter(context: Any, value: float, digits: int = 1) -> str:
    """``|percent`` (or ``|percent(2)``) in a template, in the page's language."""
    return percent(value, context.get("lang", "vi"), digits)


FILTERS = {"number": number_filter, "vnd": vnd_filter, "percent": percent_filter}
"""The number formats a page's templates use, each following the page's language (``Console`` registers them)."""


# --- issue 13: clock-deadlines-policy work (audit actions and refusals of the policy page) --------------------------
WORDS["audit"].update({
    "policy_explanation": ("Sửa giải thích chế độ", "Regime explanation corrected"),
    "policy_notice": ("Đăng thông báo chính sách", "Policy notice published"),
    "policy_withdraw": ("Thu hồi thông báo chính sách", "Policy notice withdrawn"),
})
ERRORS.update({
    "policy_unknown_regime": ("Không có chế độ này", "No such regime"),
    "policy_unknown_agency": ("Không có cơ quan này", "No such agency"),
    "policy_not_your_agency": ("Chỉ cán bộ của toàn tỉnh hoặc của cơ quan chi trả chế độ này được sửa",
                               "Only an officer of the whole province or of this regime's agency may change it"),
    "policy_explanation_required": ("Hãy nhập giải thích", "Enter the explanation"),
    "policy_explanation_too_long": ("Giải thích quá dài (tối đa 1.000 ký tự)",
                                    "The explanation is too long (at most 1,000 characters)"),
    "policy_title_required": ("Hãy nhập tiêu đề", "Enter a title"),
    "policy_title_too_long": ("Tiêu đề quá dài (tối đa 150 ký tự)", "The title is too long (at most 150 characters)"),
    "policy_body_required": ("Hãy nhập nội dung", "Enter the text"),
    "policy_body_too_long": ("Nội dung quá dài (tối đa 2.000 ký tự)",
                             "The text is too long (at most 2,000 characters)"),
    "policy_reason_required": ("Hãy nhập lý do", "Enter the reason"),
    "policy_reason_too_long": ("Lý do quá dài (tối đa 500 ký tự)", "The reason is too long (at most 500 characters)"),
    "policy_bad_date": ("Ngày hiệu lực không hợp lệ", "The effective date is not valid"),
    "policy_already_withdrawn": ("Thông báo đã được thu hồi", "The notice was already withdrawn"),
})
