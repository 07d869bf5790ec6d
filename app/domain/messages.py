"""The catalogue of user-facing messages outside the Qt UI, in Vietnamese and English.

One table so a translator (or a province) can review every sentence a teller may see from the CLI or an error.
Placeholders use ``str.format`` names; a missing parameter leaves the placeholder visible rather than crashing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # generic
    "row_column": ("Dòng {row}, cột «{column}»", "Row {row}, column “{column}”"),
    "unexpected": ("Lỗi không mong đợi: {detail}", "Unexpected error: {detail}"),
    # --- issue 12, desk: one person across agencies' lists (app.store.persons, app.store.lists) ---
    "person_link_needs_reason": ("Phải ghi lý do quyết định", "A reason is required for the decision"),
    "person_link_reason_too_long": ("Lý do dài quá {limit} ký tự", "The reason is longer than {limit} characters"),
    "person_link_same_record": ("Hai hồ sơ phải khác nhau ({record_code})",
                                "The two records must differ ({record_code})"),
    "person_link_needs_supervisor": ("Chỉ giám sát viên được ghép hoặc tách hồ sơ",
                                     "Only a supervisor may link or separate records"),
    "person_link_nothing_to_clear": ("Chưa có quyết định nào về hai hồ sơ {first} và {second} để hủy",
                                     "There is no decision about records {first} and {second} to undo"),
    "record_code_of_other_agency": (
        "Dòng {row}: mã hồ sơ {record_code} đã thuộc danh sách của {agency} ({name}); bỏ qua dòng này",
        "Row {row}: record code {record_code} already belongs to {agency}'s list ({name}); row skipped",
    ),
    "identity_conflict_line": (
        "Dòng {row}: số định danh {id_number} — {listed_name} ({listed_code}) và {other_name} ({other_code}) khác "
        "{differs}; chưa ghép thành một người, mỗi hồ sơ vẫn được chi riêng",
        "Row {row}: personal number {id_number} — {listed_name} ({listed_code}) and {other_name} ({other_code}) "
        "differ in {differs}; not merged, each record stays payable on its own",
    ),
    "differs_full_name": ("họ tên", "name"),
    "differs_birth_year": ("năm sinh", "birth year"),
    # payment rules
    "suspended": ("Đối tượng đang bị tạm dừng chi trả: {reason}", "Payments to this person are suspended: {reason}"),
    "deceased_after_death": (
        "Đối tượng đã mất ngày {death_date}; không chi trợ cấp tháng {period} (sau tháng mất)",
        "The person died on {death_date}; no monthly allowance for {period} (after the month of death)",
    ),
    "death_line_needs_representative": (
        "Khoản này chỉ chi cho người đại diện gia đình đã được ghi nhận",
        "This payment goes only to the recorded family representative",
    ),
    "no_representative": (
        "Chưa có người đại diện gia đình được ghi nhận cho đối tượng đã mất",
        "No family representative is recorded for this deceased person",
    ),
    "death_line_but_alive": (
        "Khoản liên quan đến việc đối tượng mất, nhưng danh sách chưa ghi nhận đối tượng đã mất",
        "A death-related payment, but the person is not recorded as deceased",
    ),
    "already_paid": ("Khoản này đã được chi (biên nhận số {number} ngày {day})",
                     "This line was already paid (receipt no. {number} of {day})"),
    "paid_to_account": (
        "Khoản này chi qua tài khoản, không chi tiền mặt",
        "This line is paid to an account, not in cash",
    ),
    "period_not_open": (
        "Khoản của danh sách kỳ {list_period}, chưa đến kỳ chi trả",
        "This line belongs to the {list_period} list, which is not yet open",
    ),
    "held_amount": (
        "Khoản đang tạm giữ: danh sách kỳ {list_period} ghi {listed}, nhưng điều chỉnh ngày {since} ({by}) ghi "
        "{standing}; chờ cán bộ tỉnh (hoặc giám sát viên trên máy không nối máy chủ) quyết định",
        "This line is held: the {list_period} list says {listed}, but the amendment of {since} ({by}) says "
        "{standing}; it waits for the province officer's decision (a supervisor's, on a laptop without a server)",
    ),
    "held_representative": (
        "Khoản đang tạm giữ: danh sách kỳ {list_period} ghi người đại diện {listed}, nhưng điều chỉnh ngày {since} "
        "({by}) ghi {standing}; chờ cán bộ tỉnh (hoặc giám sát viên trên máy không nối máy chủ) quyết định",
        "This line is held: the {list_period} list gives the representative as {listed}, but the amendment of "
        "{since} ({by}) says {standing}; it waits for the province officer's decision (a supervisor's, on a laptop "
        "without a server)",
    ),
    "held_line_dropped": (
        "Khoản đang tạm giữ: danh sách kỳ {list_period} không còn khoản này, nhưng điều chỉnh ngày {since} ({by}) "
        "đã thêm khoản {standing}; chờ cán bộ tỉnh (hoặc giám sát viên trên máy không nối máy chủ) quyết định",
        "This line is held: the {list_period} list no longer has it, but the amendment of {since} ({by}) added it "
        "({standing}); it waits for the province officer's decision (a supervisor's, on a laptop without a server)",
    ),
    "zero_amount": ("Khoản này có số tiền bằng 0", "This line has a zero amount"),
    "amount_changed": (
        "Số tiền khoản «{line}» vừa thay đổi ({shown} → {now}); hãy xem lại người này trước khi chi",
        "The amount of “{line}” has just changed ({shown} → {now}); reopen this person before paying",
    ),
    "back_entry_in_future": (
        "Ngày chi trên giấy ({date}) không thể sau hôm nay",
        "The paper payment's date ({date}) cannot be after today",
    ),
    "no_lines_selected": ("Chưa chọn khoản nào để chi", "No line is selected for payment"),
    "line_not_payable": ("Khoản «{line}» không được chi: {reason}", "Line “{line}” cannot be paid: {reason}"),
    "line_not_found": ("Không tìm thấy khoản «{line}» của đối tượng này", "Line “{line}” is not on this person's list"),
    "person_not_found": (
        "Không tìm thấy đối tượng có mã hồ sơ «{record_code}»",
        "No person with record code “{record_code}”",
    ),
    "identity_check_missing": ("Chưa ghi nhận cách kiểm tra danh tính", "How identity was checked is not recorded"),
    "proxy_missing_fields": (
        "Thiếu thông tin người được ủy quyền: {fields}",
        "The proxy's details are incomplete: {fields}",
    ),
    "proxy_bad_id": ("Số CCCD của người được ủy quyền phải gồm 12 chữ số", "The proxy's ID number must have 12 digits"),
    "authorisation_expired": (
        "Giấy ủy quyền số {number} đã hết hạn ngày {valid_until}",
        "Authorisation {number} expired on {valid_until}",
    ),
    "authorisation_not_yet_valid": (
        "Giấy ủy quyền số {number} chỉ có hiệu lực từ ngày {valid_from}",
        "Authorisation {number} is valid only from {valid_from}",
    ),
    "deceased_needs_representative": (
        "Đối tượng đã mất: chỉ chi cho người đại diện gia đình đã được ghi nhận",
        "The person has died: payments go only to the recorded family representative",
    ),
    "representative_mismatch": (
        "Người nhận không khớp với người đại diện đã ghi nhận ({name})",
        "The recipient does not match the recorded representative ({name})",
    ),
    "representative_missing_fields": (
        "Thiếu thông tin người đại diện nhận thay: {fields}",
        "The representative's details are incomplete: {fields}",
    ),
    "representative_bad_id": (
        "Số CCCD của người đại diện phải gồm 12 chữ số (số định danh cá nhân, như trên VNeID)",
        "The representative's ID number must have 12 digits (the personal ID number, as VNeID shows it)",
    ),
    "representative_only_deceased": (
        "Chỉ chi cho người đại diện khi đối tượng đã mất",
        "A representative collects only for a deceased person",
    ),
    "signature_missing": ("Chưa có chữ ký của người nhận", "The recipient's signature is missing"),
    "evidence_needs_reason_witness": (
        "Điểm chỉ hoặc ký trên giấy cần ghi lý do và tên người làm chứng",
        "A thumbprint or a paper signature needs a reason and a witness name",
    ),
    "session_required": ("Chưa mở phiên chi trả", "No payout session is open"),
    "session_closed": ("Phiên chi trả đã đóng, không nhận thêm khoản chi", "The payout session is closed"),
    "session_not_found": ("Không tìm thấy phiên chi trả {session}", "Payout session {session} not found"),
    "session_already_open": (
        "Đã có phiên chi trả đang mở tại điểm này ngày {date}",
        "A payout session is already open at this point on {date}",
    ),
    "session_day_closed": (
        "Ngày {date} tại điểm này đã kết thúc (đã đóng phiên); mở lại cần giám sát viên duyệt và ghi lý do",
        "The day {date} at this point has been closed; reopening it needs a supervisor's approval and a reason",
    ),
    "reopen_needs_supervisor": (
        "Chỉ giám sát viên mới được duyệt mở lại ngày đã kết thúc",
        "Only a supervisor can approve reopening a closed day",
    ),
    "reopen_needs_reason": (
        "Phải ghi lý do mở lại ngày đã kết thúc",
        "A reason is required to reopen a closed day",
    ),
    "wrong_commune": (
        "Đối tượng thuộc {commune}, không thuộc phiên chi trả này",
        "The person belongs to {commune}, not to this payout session",
    ),
    "bad_cash_advance": (
        "Số tiền tạm ứng phải là số nguyên không âm",
        "The cash advance must be a non-negative whole number",
    ),
    "bad_denomination": ("Mệnh giá không hợp lệ: {value}", "Not a banknote denomination: {value}"),
    "unknown_time_zone": (
        "Múi giờ không hợp lệ: «{zone}» (cần tên IANA, ví dụ Asia/Ho_Chi_Minh)",
        "Unknown time zone: “{zone}” (an IANA name such as Asia/Ho_Chi_Minh)",
    ),
    "difference_needs_reason": (
        "Tiền đếm được chênh lệch {difference} so với sổ sách: phải ghi lý do",
        "The counted cash differs by {difference}: a reason is required",
    ),
    "witness_required": ("Cần tên người làm chứng (cán bộ xã hoặc giám sát)", "A witness name is required"),
    "reversal_needs_supervisor": ("Chỉ giám sát viên được hủy khoản chi", "Only a supervisor can reverse a payment"),
    "reversal_needs_reason": ("Phải ghi lý do hủy khoản chi", "A reason is required to reverse a payment"),
    "payment_not_found": ("Không tìm thấy khoản chi {entry}", "Payment {entry} not found"),
    "receipt_not_found": (
        "Ngày {day} không có biên nhận số {number} (ngày đó có biên nhận số 1–{last}); chọn ngày khác bằng --date "
        "dd/mm/yyyy, hoặc xem danh sách: payout-desk payments --session MÃ-PHIÊN",
        "There is no receipt no. {number} on {day} (that day has receipts 1–{last}); choose another day with --date "
        "dd/mm/yyyy, or list them: payout-desk payments --session SESSION",
    ),
    "receipt_none": ("Máy này chưa chi khoản nào, chưa có biên nhận", "This device has paid nothing: no receipts yet"),
    "payment_reference_ambiguous": (
        "«{ref}» khớp với nhiều khoản chi; hãy gõ thêm ký tự, hoặc dùng số biên nhận",
        "“{ref}” matches several payments; type more characters, or give the receipt number",
    ),
    "payment_reference_not_found": (
        "Không tìm thấy khoản chi «{ref}» (gõ số biên nhận, hoặc mã ngắn từ 6 ký tự trở lên)",
        "No payment “{ref}” (give the receipt number, or a short id of 6 characters or more)",
    ),
    "session_reference_ambiguous": (
        "«{ref}» khớp với nhiều phiên chi trả; hãy gõ thêm ký tự (payout-desk sessions liệt kê các phiên)",
        "“{ref}” matches several payout sessions; type more characters (payout-desk sessions lists them)",
    ),
    "session_reference_not_found": (
        "Không tìm thấy phiên chi trả «{ref}» (payout-desk sessions liệt kê các phiên và mã ngắn của chúng)",
        "No payout session “{ref}” (payout-desk sessions lists the sessions and their short ids)",
    ),
    "payment_already_reversed": ("Khoản chi {entry} đã được hủy trước đó", "Payment {entry} was already reversed"),
    "back_entry_needs_supervisor": (
        "Chỉ giám sát viên được nhập bù khoản đã chi trên giấy",
        "Only a supervisor can back-enter a payment made on paper",
    ),
    "back_entry_needs_reference": (
        "Nhập bù cần ngày chi thực tế và số hiệu tờ danh sách giấy",
        "A back-entry needs the real payment date and the paper sheet reference",
    ),
    # sign-in
    "sign_in_failed": (
        "Sai tên đăng nhập hoặc mật khẩu (còn {left} lần thử)",
        "Wrong username or password ({left} attempts left)",
    ),
    "account_locked": (
        "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau {until}",
        "The account is locked after too many wrong passwords; try again after {until}",
    ),
    "password_mismatch": ("Hai lần nhập mật khẩu không khớp", "The passwords do not match"),
    "sign_in_required": ("Nhập tên đăng nhập và mật khẩu", "Enter a username and password"),
    # store
    "store_wrong_key": (
        "Không mở được cơ sở dữ liệu: khóa mã hóa không đúng hoặc tệp không phải cơ sở dữ liệu của Payout Desk "
        "({path})",
        "Cannot open the database: wrong encryption key or not a Payout Desk database ({path})",
    ),
    "store_no_key": (
        "Không tìm thấy khóa mã hóa của thư mục dữ liệu {path}",
        "The encryption key of data folder {path} was not found",
    ),
    "store_not_found": (
        "Chưa có dữ liệu tại {path}: hãy mở chương trình để cài đặt máy (đăng ký với tỉnh hoặc tạo tài khoản giám "
        "sát viên đầu tiên), hoặc dùng lệnh «user add» hay «enrol»",
        "No data at {path} yet: open the program to set this laptop up (enrol with the province or create the first "
        "supervisor account), or use the “user add” or “enrol” command",
    ),
    "store_sign_in_needed": (
        "Dữ liệu trên máy này được mã hóa: đăng nhập để mở (người mở được máy này: {holders})",
        "The data on this laptop is encrypted: sign in to open it (who can open this laptop: {holders})",
    ),
    "store_open_first": (
        "«{username}» chưa đăng nhập lần nào trên máy này nên chưa mở được dữ liệu. Nhờ một người đã đăng nhập trên "
        "máy này mở chương trình trước ({holders}), rồi đăng nhập bằng «Thêm người đăng nhập trên máy này…» "
        "trong menu Phiên chi trả",
        "“{username}” has never signed in on this laptop, so their password cannot open its data yet. Ask someone "
        "who has signed in here to open the program first ({holders}), then sign in through “Add a person who signs "
        "in on this laptop…” in the Session menu",
    ),
    "store_no_opener": (
        "Không ai mở được dữ liệu tại {path} trên máy này (chưa ai đăng nhập lần nào). Nếu việc cài đặt máy chưa "
        "xong, hãy cài đặt lại; nếu đã có khoản chi, báo cán bộ tỉnh để mở bằng khóa khôi phục của tỉnh",
        "Nobody can open the data at {path} on this laptop (nobody has signed in here yet). If setting the laptop up "
        "was not finished, set it up again; if payments were made, ask the province to open it with its recovery key",
    ),
    "store_setup_unfinished": (
        "Máy đã đăng ký với tỉnh nhưng chưa ai mở được dữ liệu trên máy này ({reason}). Xóa thư mục {path} rồi đăng "
        "ký lại với mã mới do tỉnh cấp",
        "The laptop is enrolled, but nobody can open its data yet ({reason}). Remove the folder {path} and enrol "
        "again with a new code from the province",
    ),
    "cli_username_required": (
        "Với --password-stdin, ghi người mở máy bằng --as TÊN_ĐĂNG_NHẬP",
        "With --password-stdin, name who opens the laptop with --as USERNAME",
    ),
    "cli_enrol_needs_user": (
        "Máy này không có kho khóa của hệ điều hành: ghi --as TÊN_ĐĂNG_NHẬP của một nhân viên tỉnh giao cho xã này "
        "(mật khẩu của người đó sẽ mở dữ liệu trên máy này)",
        "This laptop has no OS keyring: give --as USERNAME of a staff member the province assigns to this commune "
        "(their password will open the data on this laptop)",
    ),
    "store_busy": (
        "Dữ liệu đang được khôi phục hoặc ghi bởi một chương trình khác trên máy này; chưa ghi gì, hãy thử lại sau "
        "ít phút",
        "The data is being restored or written by another program on this laptop; nothing was written, try again in "
        "a few minutes",
    ),
    "store_corrupt": ("Cơ sở dữ liệu bị hỏng: {detail}", "The database is damaged: {detail}"),
    "store_pragma": (
        "Cơ sở dữ liệu không bật được chế độ an toàn ({pragma} = {value}); dừng để tránh mất dữ liệu",
        "The database refused a safety setting ({pragma} = {value}); stopping to avoid data loss",
    ),
    "store_newer_schema": (
        "Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của Payout Desk ({revision}); hãy cập nhật phần mềm",
        "The database was written by a newer Payout Desk ({revision}); please update the program",
    ),
    "store_locked": ("Cơ sở dữ liệu đang bận, hãy thử lại", "The database is busy, please try again"),
    "backup_target_exists": ("Tệp sao lưu đã tồn tại: {path}", "The backup file already exists: {path}"),
    "backup_not_found": ("Không tìm thấy tệp sao lưu: {path}", "Backup file not found: {path}"),
    "backup_unreadable": (
        "Không đọc được tệp sao lưu (sai khóa hoặc tệp hỏng): {path}",
        "Cannot read the backup (wrong key or damaged file): {path}",
    ),
    "backup_other_device": (
        "Tệp sao lưu thuộc thiết bị khác ({device})",
        "The backup belongs to another device ({device})",
    ),
    "backup_chain_broken": (
        "Tệp sao lưu có sổ nhật ký không hợp lệ: {detail}",
        "The backup's journal does not verify: {detail}",
    ),
    "restore_would_lose": (
        "Dữ liệu hiện tại có {count} bút toán không có trong bản sao lưu; dùng --force nếu chắc chắn muốn ghi đè",
        "The current data has {count} journal entries missing from the backup; use --force to overwrite anyway",
    ),
    # lists
    "list_has_errors": (
        "Danh sách có {count} lỗi, chưa nhập gì {path}",
        "The list has {count} errors; nothing was imported {path}",
    ),
    "list_file_not_found": ("Không tìm thấy tệp: {path}", "File not found: {path}"),
    "list_unreadable": ("Không đọc được tệp danh sách: {detail}", "Cannot read the list file: {detail}"),
    "list_bad_format": (
        "Định dạng tệp không được hỗ trợ ({suffix}); dùng .xlsx hoặc .csv",
        "Unsupported file type ({suffix}); use .xlsx or .csv",
    ),
    "list_no_header": (
        "Không tìm thấy dòng tiêu đề (cần các cột: {columns})",
        "No header row found (required columns: {columns})",
    ),
    "list_missing_column": ("Thiếu cột bắt buộc", "A required column is missing"),
    "list_empty": ("Danh sách không có dòng dữ liệu nào", "The list has no data rows"),
    "list_more_errors": (
        "… và {count} lỗi khác (chỉ liệt kê {shown} lỗi đầu tiên)",
        "… and {count} more errors (only the first {shown} are listed)",
    ),
    # lists: the bounds of a list file (app/lists/limits.py)
    "list_file_too_large": (
        "Tệp danh sách quá lớn: {size} (tối đa {limit})",
        "The list file is too large: {size} (at most {limit})",
    ),
    "list_too_many_rows": (
        "Danh sách có hơn {limit} dòng: quá giới hạn, chưa nhập gì. Hãy chia danh sách thành nhiều tệp",
        "The list has more than {limit} rows: over the limit, nothing was imported. Split it into several files",
    ),
    "list_too_many_rows_at": (
        "Bảng tính có dữ liệu ở dòng {row}, quá giới hạn {limit} dòng; chưa nhập gì",
        "The sheet has data on row {row}, beyond the limit of {limit} rows; nothing was imported",
    ),
    "list_too_many_columns": (
        "Dòng {row} có giá trị ở cột {column}, quá giới hạn {limit} cột; chưa nhập gì",
        "Row {row} has a value in column {column}, beyond the limit of {limit} columns; nothing was imported",
    ),
    "list_record_too_long": (
        "Dòng {row} của tệp CSV dài hơn {limit} ký tự (có thể thiếu dấu ngoặc kép đóng); chưa nhập gì",
        "Row {row} of the CSV file is longer than {limit} characters (perhaps a closing quote is missing); "
        "nothing was imported",
    ),
    "list_cell_bomb": (
        "Dòng {row}, cột {column}: một ô dài hơn {size} chữ (mỗi ô tối đa {limit} ký tự); tệp bị từ chối",
        "Row {row}, column {column}: one cell holds more than {size} of text (at most {limit} characters a cell); "
        "the file is refused",
    ),
    "list_text_bomb": (
        "Tệp có một ô chữ dài hơn {size} (mỗi ô tối đa {limit} ký tự); tệp bị từ chối",
        "The file holds a text of more than {size} (at most {limit} characters a cell); the file is refused",
    ),
    "cell_too_long": (
        "Ô dài quá {limit} ký tự (họ tên, địa chỉ, ghi chú chỉ vài trăm ký tự)",
        "The cell is longer than {limit} characters (a name, address or note is a few hundred at most)",
    ),
    "xlsx_too_many_parts": (
        "Tệp Excel gồm {count} phần, quá giới hạn {limit}: không phải danh sách chi trả thông thường",
        "The Excel file has {count} parts, over the limit of {limit}: not an ordinary payout list",
    ),
    "xlsx_part_too_big": (
        "Tệp Excel khi giải nén quá lớn ({part}: hơn {limit}); tệp bị từ chối",
        "The Excel file unpacks too large ({part}: more than {limit}); the file is refused",
    ),
    "xlsx_ratio": (
        "Phần {part} của tệp Excel giải nén ra hơn {limit} lần kích thước nén (kiểu «bom zip»); tệp bị từ chối",
        "Part {part} of the Excel file unpacks to more than {limit} times its packed size (a “zip bomb”); "
        "the file is refused",
    ),
    "xlsx_token_too_long": (
        "Tệp Excel có một thẻ XML dài hơn {limit} ({part}); tệp bị từ chối",
        "The Excel file holds an XML tag longer than {limit} ({part}); the file is refused",
    ),
    "xlsx_too_many_texts": (
        "Tệp Excel có hơn {limit} chuỗi chữ khác nhau; tệp bị từ chối",
        "The Excel file holds more than {limit} distinct texts; the file is refused",
    ),
    "xlsx_macros": (
        "Tệp Excel có macro ({part}): danh sách chi trả không cần macro. Hãy lưu lại dạng «Excel Workbook (.xlsx)»",
        "The Excel file contains macros ({part}): a payout list needs none. Save it as “Excel Workbook (.xlsx)”",
    ),
    "xlsx_external_link": (
        "Tệp Excel có liên kết tới tệp hoặc nguồn bên ngoài ({part}): danh sách chi trả không cần liên kết. "
        "Hãy bỏ liên kết (Data → Edit Links → Break Link) rồi lưu lại",
        "The Excel file links to an outside file or source ({part}): a payout list needs none. "
        "Break the links (Data → Edit Links → Break Link) and save again",
    ),
    "required": ("Bắt buộc phải có giá trị", "A value is required"),
    "bad_amount": ("Số tiền không hợp lệ: «{value}»", "Not a valid amount: “{value}”"),
    "negative_amount": ("Số tiền không được âm: «{value}»", "The amount must not be negative: “{value}”"),
    "amount_above_ceiling": (
        "Số tiền «{value}» vượt mức tối đa của một khoản ({limit})",
        "The amount “{value}” is above the most one line may carry ({limit})",
    ),
    "list_warnings": (
        "Danh sách được nhập, với {count} cảnh báo:",
        "The list is imported, with {count} warnings:",
    ),
    "list_more_warnings": (
        "… và {count} cảnh báo khác (chỉ liệt kê {shown} cảnh báo đầu tiên)",
        "… and {count} more warnings (only the first {shown} are listed)",
    ),
    "reconcile_total": (
        "Đối chiếu danh sách: tổng {total} ({lines} khoản) = tiền mặt tại các điểm chi trả {cash} + chi qua tài khoản "
        "{account} + không chi được theo danh sách {not_payable}",
        "The list reconciled: total {total} ({lines} lines) = cash at the payout points {cash} + paid to accounts "
        "{account} + cannot be paid as listed {not_payable}",
    ),
    "reconcile_point": (
        "  Tiền mặt tại {point}: {lines} khoản, {people} người, {amount}",
        "  Cash at {point}: {lines} lines, {people} people, {amount}",
    ),
    "reconcile_account": (
        "  Chi qua tài khoản: {lines} khoản, {amount}",
        "  Paid to accounts: {lines} lines, {amount}",
    ),
    "reconcile_not_payable": (
        "  Không chi được theo danh sách: {lines} khoản, {amount}:",
        "  Cannot be paid as listed: {lines} lines, {amount}:",
    ),
    "reconcile_more": ("  - … và {count} khoản khác", "  - … and {count} more lines"),
    "list_total_differs": (
        "dòng «Tổng cộng» của danh sách ghi {stated}, nhưng các khoản cộng lại là {summed} (chênh {difference})",
        "the list's “Total” row says {stated}, but its lines add up to {summed} (a difference of {difference})",
    ),
    "zero_amount_listed": (
        "không thể chi như danh sách ghi: số tiền bằng 0",
        "cannot be paid as listed: the amount is 0",
    ),
    "bad_period": ("Kỳ không hợp lệ (cần MM/YYYY): «{value}»", "Not a valid period (MM/YYYY): “{value}”"),
    "bad_year": ("Năm sinh không hợp lệ: «{value}»", "Not a valid birth year: “{value}”"),
    "bad_gender": ("Giới tính không hợp lệ: «{value}»", "Not a valid gender: “{value}”"),
    "bad_id_number": ("Số CCCD phải gồm 12 chữ số: «{value}»", "The ID number must have 12 digits: “{value}”"),
    "bad_method": (
        "Hình thức chi không hợp lệ (tiền mặt / tài khoản): «{value}»",
        "Not a payment method (cash / account): “{value}”",
    ),
    "bad_date": ("Ngày không hợp lệ (cần dd/MM/yyyy): «{value}»", "Not a valid date (dd/MM/yyyy): “{value}”"),
    "bad_time": ("Giờ không hợp lệ (cần HH:MM-HH:MM): «{value}»", "Not valid hours (HH:MM-HH:MM): “{value}”"),
    "bad_status": ("Trạng thái không hợp lệ: «{value}»", "Not a valid status: “{value}”"),
    "unknown_regime": ("Chế độ không có trong danh mục: «{value}»", "Regime not in the policy reference: “{value}”"),
    "unknown_category": (
        "Loại đối tượng không có trong danh mục: «{value}»",
        "Category not in the policy reference: “{value}”",
    ),
    "bad_record_code": ("Mã hồ sơ không hợp lệ: «{value}»", "Not a valid record code: “{value}”"),
    "duplicate_line": (
        "Trùng khoản với dòng {other} (cùng mã hồ sơ, kỳ, chương trình, chế độ hoặc cùng mã dòng)",
        "Duplicates row {other} (same record code, period, programme and regime, or the same line id)",
    ),
    "inconsistent_person": (
        "Thông tin đối tượng «{field}» khác với dòng {other} của cùng mã hồ sơ",
        "Person field “{field}” differs from row {other} of the same record code",
    ),
    "death_date_needed": ("Đối tượng đã mất cần ngày mất", "A deceased person needs the date of death"),
    "authorisation_incomplete": (
        "Thông tin ủy quyền chưa đủ (cần tên, CCCD, số giấy và ngày hết hạn)",
        "Authorisation details are incomplete (name, ID number, letter number and expiry needed)",
    ),
    "unknown_programme": (
        "Chương trình không có trong danh mục: «{value}»",
        "Programme not in the policy reference: “{value}”",
    ),
    "row_after_total": (
        "Dòng dữ liệu nằm sau dòng «Tổng cộng» (dòng {total}): chuyển lên trên dòng tổng cộng",
        "A data row below the total row (row {total}): move it above the total",
    ),
    "paid_line_changed": (
        "Khoản «{line}» đã chi, danh sách mới thay đổi số tiền/hình thức: giữ nguyên khoản đã chi",
        "Line “{line}” is already paid; the new list changes it: the paid line is kept as it was",
    ),
    # amendments and the contradictions of lists
    "decision_needs_supervisor": (
        "Chỉ giám sát viên được quyết định mâu thuẫn của danh sách",
        "Only a supervisor can decide a contradiction of a list",
    ),
    "decision_needs_reason": ("Theo danh sách cần ghi lý do", "Accepting the list's value needs a reason"),
    "contradiction_not_found": ("Không có mâu thuẫn số {number}", "There is no contradiction number {number}"),
    "contradiction_decided": (
        "Mâu thuẫn số {number} đã được quyết định", "Contradiction {number} was already decided"
    ),
    "contradiction_superseded": (
        "Mâu thuẫn số {number}: giá trị đang giữ đã thay đổi từ khi nhập danh sách, không quyết định được nữa",
        "Contradiction {number}: what stands changed since the list was imported, so it can no longer be decided",
    ),
    # sync with the province server
    "enrolled_lists_from_server": (
        "Máy đã đăng ký với máy chủ tỉnh ({server}): danh sách chỉ được tải từ máy chủ, không nhập từ tệp",
        "This device is enrolled with the province server ({server}): lists come from the server, not from files",
    ),
    "enrolled_decisions_on_server": (
        "Máy đã đăng ký với máy chủ tỉnh ({server}): mâu thuẫn danh sách do tỉnh quyết định",
        "This device is enrolled with the province server ({server}): the province decides list contradictions",
    ),
    "enrolled_staff_from_server": (
        "Máy đã đăng ký với máy chủ tỉnh: tài khoản nhân viên do tỉnh quản lý",
        "This device is enrolled with the province server: staff accounts are managed by the province",
    ),
    "already_enrolled": ("Máy này đã đăng ký với máy chủ {server}", "This device is already enrolled with {server}"),
    "not_enrolled": (
        "Máy chưa đăng ký với máy chủ tỉnh (menu Phiên chi trả → Đăng ký máy với máy chủ tỉnh…, với mã đăng ký)",
        "This device is not enrolled with a province server (menu Phiên chi trả → Đăng ký máy…, with a one-time code)",
    ),
    "insecure_server": (
        "Địa chỉ máy chủ phải dùng HTTPS (HTTP chỉ dùng được trên chính máy này): {url}",
        "The server address must use HTTPS (plain HTTP only on this computer): {url}",
    ),
    "sync_offline": (
        "Không kết nối được máy chủ tỉnh ({detail}); dữ liệu vẫn an toàn trên máy, sẽ gửi lại khi có mạng",
        "Cannot reach the province server ({detail}); the data is safe on this computer and will be sent later",
    ),
    "sync_server_error": (
        "Máy chủ tỉnh báo lỗi ({detail}); dữ liệu vẫn an toàn trên máy, sẽ thử lại",
        "The province server reported an error ({detail}); the data is safe here and will be retried",
    ),
    "sync_refused": (
        "Máy chủ tỉnh từ chối ({detail}). Hàng đợi được giữ nguyên; hãy báo cán bộ tỉnh",
        "The province server refused ({detail}). The queue is kept; tell the province officer",
    ),
    "sync_revoked": (
        "Máy này đã bị tỉnh thu hồi: vẫn gửi được các khoản đã chi nhưng không tải danh sách. Hãy liên hệ cán bộ tỉnh",
        "This device was revoked by the province: it may still send payments but not download. Contact the province",
    ),
    "sync_clock": (
        "Đồng hồ máy lệch {minutes} phút so với máy chủ: hãy chỉnh ngày giờ của máy rồi đồng bộ lại",
        "This computer's clock is {minutes} minutes off the server's: set the date and time, then sync again",
    ),
    "sync_head_mismatch": (
        "Máy chủ xác nhận một chuỗi nhật ký khác với máy này (số {seq}); không đánh dấu đã gửi. Hãy báo cán bộ tỉnh",
        "The server acknowledged a different journal chain (entry {seq}); nothing marked as sent. Tell the province",
    ),
    "sync_bad_answer": (
        "Máy chủ trả lời không hợp lệ ({detail}); dữ liệu vẫn an toàn trên máy",
        "The server gave an invalid answer ({detail}); the data is safe on this computer",
    ),
    "sync_cancelled": ("Đã dừng đồng bộ", "Sync cancelled"),
    "verify_acked_head": (
        "Nhật ký trên máy không nối tiếp điểm máy chủ đã xác nhận (số {seq})",
        "The local journal does not extend the head the server acknowledged (entry {seq})",
    ),
    "bad_offline_file": ("Tệp nhật ký không hợp lệ: {detail}", "Not a valid journal file: {detail}"),
    # flags the province server raised (shown on the device after a sync)
    "flag_double_payment": ("Khoản này cũng đã được chi bởi máy khác", "This line was also paid by another device"),
    "flag_paid_after_death": ("Chi sau khi đối tượng đã mất", "Paid after the person's death"),
    "flag_paid_while_suspended": ("Chi khi đối tượng đang bị tạm dừng", "Paid while the person was suspended"),
    "flag_amount_mismatch": ("Số tiền khác với danh sách của tỉnh", "Amount differs from the province's list"),
    "flag_unknown_line": ("Khoản không có trong danh sách của tỉnh", "Line not on the province's list"),
    "flag_authorisation_expired": ("Giấy ủy quyền đã hết hạn khi chi", "The authorisation had expired when paid"),
    "flag_proxy_overuse": (
        "Một người được ủy quyền nhận cho quá nhiều đối tượng", "One proxy collected for too many people"
    ),
    "flag_fork": (
        "Nhật ký rẽ nhánh (máy được khôi phục từ bản sao lưu)",
        "Journal fork (device restored from a backup)",
    ),
    "flag_chain_break": ("Chuỗi nhật ký bị đứt", "Broken journal chain"),
    "flag_revoked_device": ("Gửi từ máy đã bị thu hồi", "Sent by a revoked device"),
    "flag_clock_skew": ("Đồng hồ máy lệch quá 5 phút", "Device clock more than 5 minutes off"),
    "flag_closure_mismatch": (
        "Số liệu chốt ngày khác với các khoản máy chủ nhận được", "Day-end figures differ from what the server holds"
    ),
    "flag_other_commune": (
        "Chi ngoài các xã của máy, hoặc cho đối tượng thuộc xã khác với phiên chi trả",
        "Paid outside the device's communes, or to a person of another commune than the session",
    ),
    "flag_bad_content": ("Bút toán có nội dung không đọc được", "An entry with unreadable content"),
    "flag_amount_out_of_range": (
        "Số tiền âm hoặc vượt mức tối đa một khoản: đã lưu nhưng không tính",
        "An amount below zero or above the most one line may pay: stored, not counted",
    ),
    # --- issue 12, the province server's part (agencies): lists per agency, one person across agencies -----------
    "record_code_other_agency": (
        "Mã hồ sơ «{record_code}» đã thuộc một hồ sơ của {agency}: dòng này không được nhập (mã hồ sơ không được "
        "trùng giữa các cơ quan)",
        "Record code “{record_code}” already belongs to a record of {agency_en}: this row was not imported (record "
        "codes are unique across agencies)",
    ),
    "list_agency_bad": ("Cơ quan «{agency}» không có trong danh mục ({agencies})",
                        "Agency “{agency}” is not in the catalogue ({agencies})"),
    # issue 12, lists: a list's source agency (reader, BHXH's layout, authorisation rule)
    "unknown_agency": (
        "Cơ quan chi trả không có trong danh mục: «{value}» (có: {known})",
        "Agency not in the policy reference: “{value}” (known: {known})",
    ),
    "line_of_other_agency": (
        "Dòng này thuộc chương trình của {line_agency}, không thuộc danh sách của {list_agency}",
        "This row belongs to a programme of {line_agency}, not to the list of {list_agency}",
    ),
    "row_total_differs": (
        "Tổng số tiền được nhận ghi {stated}, nhưng số tiền tháng này ({monthly}) cộng truy lĩnh ({arrears}) là "
        "{summed}",
        "The total to receive says {stated}, but this month's amount ({monthly}) plus arrears ({arrears}) is {summed}",
    ),
    "no_commune": (
        "Không xác định được xã/phường: danh sách không có cột «Xã/Phường», tiêu đề không ghi xã/phường và địa chỉ "
        "«{value}» không có xã/phường",
        "No commune: the list has no “Xã/Phường” column, its title names none and the address “{value}” has none",
    ),
    "authorisation_too_long": (
        "giấy ủy quyền {letter} có hạn đến {until}, dài hơn thời hạn {months} tháng của {agency}",
        "authorisation {letter} runs until {until}, longer than the {months} months {agency} allows",
    ),
    # issue 13 — public-notice postings and the survey (posting-and-survey work)
    "posting_place_missing": ("Hãy ghi nơi niêm yết thông báo", "Say where the notice was posted"),
    "posting_officer_missing": ("Hãy ghi họ tên cán bộ xã đã niêm yết",
                                "Give the name of the commune officer who posted it"),
    "posting_text_too_long": ("Nơi niêm yết hoặc họ tên dài quá {limit} ký tự",
                              "The place or the name is longer than {limit} characters"),
    "posting_unreadable": ("Bản ghi niêm yết không đọc được", "The posting record cannot be read"),
    "posting_day_in_future": ("Ngày niêm yết {day} chưa đến", "The posting day {day} is in the future"),
    "photo_too_large": (
        "Tệp ảnh lớn quá ({size} MB; tối đa {limit} MB). Bản ghi niêm yết chưa được lưu; hãy chọn ảnh khác hoặc lưu "
        "không có ảnh",
        "The photo file is too large ({size} MB; at most {limit} MB). The posting was not saved; choose another photo "
        "or save it without one",
    ),
    "photo_not_image": (
        "Tệp «{name}» không phải ảnh JPEG hoặc PNG. Bản ghi niêm yết chưa được lưu; hãy chọn ảnh khác hoặc lưu "
        "không có ảnh",
        "The file “{name}” is not a JPEG or PNG photo. The posting was not saved; choose another photo or save it "
        "without one",
    ),
    "photo_unreadable": (
        "Không đọc được ảnh «{name}» (tệp hỏng hoặc quá nhiều điểm ảnh). Bản ghi niêm yết chưa được lưu; hãy chọn ảnh "
        "khác hoặc lưu không có ảnh",
        "The photo “{name}” cannot be read (a damaged file, or too many pixels). The posting was not saved; choose "
        "another photo or save it without one",
    ),
    "survey_answer_unknown": ("Câu trả lời khảo sát không hợp lệ", "Not an answer of the survey"),
    # (end of the posting-and-survey work)
}


def render(code: str, lang: str, params: Mapping[str, Any]) -> str:
    """Format the message ``code`` in ``lang`` ("vi" or "en") with ``params``."""
    vi, en = MESSAGES.get(code, (code, code))
    template = en if lang == "en" else vi
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
