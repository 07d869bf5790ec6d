<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi_VN">
<context>
    <name>AddPersonDialog</name>
    <message>
        <location filename="../../ui/signin_dialog.py" line="+215"/>
        <source>Thêm người đăng nhập trên máy này</source>
        <translation>Add a person who signs in on this laptop</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Người mới nhập tên đăng nhập và mật khẩu của mình (tài khoản do tỉnh cấp). Từ đó, mật khẩu của họ mở được dữ liệu trên máy này.</source>
        <translation>The new person enters their own username and password (an account from the province). From then on, their password opens the data on this laptop.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Thêm</source>
        <translation>Add</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Từ nay {name} đăng nhập được trên máy này bằng mật khẩu của mình.</source>
        <translation>From now on {name} can sign in on this laptop with their own password.</translation>
    </message>
</context>
<context>
    <name>Agency</name>
    <message>
        <location filename="../../ui/models.py" line="+40"/>
        <source>Sở Nội vụ</source>
        <translation>Home Affairs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>BHXH</source>
        <translation>BHXH</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>UBND xã</source>
        <translation>Commune</translation>
    </message>
</context>
<context>
    <name>BackEntryDialog</name>
    <message>
        <location filename="../../ui/back_entry_dialog.py" line="+72"/>
        <source>Nhập bù khoản đã chi trên danh sách giấy</source>
        <translation>Back-enter a payment made on the paper sheet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dùng khi máy không dùng được và tiền đã chi, ký nhận trên danh sách giấy. Giám sát viên nhập lại đúng ngày chi thực tế và số hiệu tờ danh sách; bút toán được đánh dấu là nhập bù.</source>
        <translation>For when the computer could not be used and the cash was paid against a signature on the paper sheet. The supervisor enters the real payment date and the sheet reference; the entry is marked as back-entered.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Người hưởng</source>
        <translation>Beneficiary</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Ví dụ: DS giấy tờ 3, dòng 12</source>
        <translation>For example: paper sheet 3, row 12</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>— chọn —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã xem thẻ CCCD</source>
        <translation>ID card inspected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cán bộ xã xác nhận</source>
        <translation>Vouched for by a commune officer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày chi thực tế</source>
        <translation>Actual payment date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số hiệu tờ danh sách giấy</source>
        <translation>Paper sheet reference</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kiểm tra danh tính</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Ghi nhập bù</source>
        <translation>Record the back-entry</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Ký nhận trên giấy</source>
        <translation>Signed on paper</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ký trên danh sách giấy</source>
        <translation>Signed on the paper sheet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Điểm chỉ</source>
        <translation>Thumbprint</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ví dụ: máy hết pin</source>
        <translation>E.g. the battery ran out</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cán bộ xã hoặc người làm chứng</source>
        <translation>Commune officer or another witness</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người làm chứng</source>
        <translation>Witness</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+28"/>
        <source>{name} — {code}</source>
        <translation>{name} — {code}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Năm sinh: {year}</source>
        <translation>Born: {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CCCD: {id}</source>
        <translation>ID: {id}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thôn/Tổ: {village}</source>
        <translation>Village: {village}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đã mất ngày {date}</source>
        <translation>Died on {date}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Tổng nhập bù: {amount} — {words}</source>
        <translation>Total back-entered: {amount} — {words}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Nhập số hiệu tờ danh sách giấy đã ký nhận</source>
        <translation>Enter the reference of the signed paper sheet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chọn cách đã kiểm tra danh tính</source>
        <translation>Choose how identity was checked</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ghi lý do và tên người làm chứng</source>
        <translation>Give the reason and the witness&apos;s name</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Đang ghi…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>CloseDayDialog</name>
    <message>
        <location filename="../../ui/close_day_dialog.py" line="+164"/>
        <source>Kết thúc ngày chi trả — đếm tiền và đóng phiên</source>
        <translation>End of the payout day — count the cash and close the session</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Đang tính…</source>
        <translation>Calculating…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tiền đếm được</source>
        <translation>Cash counted</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tiền phải còn</source>
        <translation>Cash expected</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chênh lệch</source>
        <translation>Difference</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bắt buộc khi có chênh lệch</source>
        <translation>Required when there is a difference</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Họ tên người chứng kiến</source>
        <translation>The witness&apos;s full name</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cán bộ UBND xã</source>
        <translation>Commune People&apos;s Committee officer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trưởng thôn, tổ trưởng dân phố</source>
        <translation>Village or residential group head</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giám sát viên bưu điện</source>
        <translation>Post office supervisor</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kiểm soát viên</source>
        <translation>Controller</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cán bộ Hội Cựu chiến binh</source>
        <translation>Veterans&apos; Association officer</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lý do chênh lệch</source>
        <translation>Reason for the difference</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người chứng kiến</source>
        <translation>Witness</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chứng kiến với tư cách</source>
        <translation>Witnessed as</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Tổng hợp trong ngày</source>
        <translation>Day summary</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+207"/>
        <source>Sau khi đóng phiên sẽ không chi thêm được trong phiên này.</source>
        <translation>Once the session is closed, no more payments can be made in it.</translation>
    </message>
    <message>
        <location line="-202"/>
        <source>Đóng phiên chi trả</source>
        <translation>Close the payout session</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sao lưu mã hóa ra ổ USB…</source>
        <translation>Encrypted backup to a USB drive…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Xem / in biên bản và danh sách đã ký…</source>
        <translation>View / print the minutes and the signed list…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Để sau</source>
        <translation>Later</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Đếm tiền theo mệnh giá</source>
        <translation>Count the cash by denomination</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mệnh giá</source>
        <translation>Denomination</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Số tờ</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thành tiền</source>
        <translation>Value</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>+{amount} (thừa)</source>
        <translation>+{amount} (over)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{amount} (thiếu)</source>
        <translation>{amount} (short)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>= tạm ứng {advance} − đã chi {paid}</source>
        <translation>= advance {advance} − paid {paid}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{agency} {amount}</source>
        <translation>{agency} {amount}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>{people} người, {lines} khoản</source>
        <translation>{people} people, {lines} lines</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tạm ứng {advance} − cộng các cơ quan {paid} = tiền phải còn {expected}</source>
        <translation>Advance {advance} − all agencies {paid} = cash expected {expected}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Theo cơ quan chi trả</source>
        <translation>By paying agency</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Số người đã nhận: {people} · Số khoản chi: {payments}</source>
        <translation>People paid: {people} · Payments: {payments}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tổng đã chi: {amount}</source>
        <translation>Total paid: {amount}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Theo chương trình và chế độ</source>
        <translation>By programme and regime</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ngày đã kết thúc rồi mở lại: phiên trước đã chi {paid}, tạm ứng {advance}. Đếm tiền dưới đây là của phiên này; biên bản ghi cả hai phiên.</source>
        <translation>The day was closed, then reopened: the earlier session paid {paid} from an advance of {advance}. The count below is this session&apos;s; the minutes show both sessions.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>{count} khoản</source>
        <translation>Payments: {count}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chưa chi khoản nào.</source>
        <translation>No payments yet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cách ký nhận</source>
        <translation>How receipt was acknowledged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ký trên màn hình: {signature} · Điểm chỉ: {thumbprint} · Ký trên giấy: {paper} · Người được ủy quyền nhận: {proxy} · Đại diện gia đình nhận: {representative} · Nhập bù: {back}</source>
        <translation>Signed on screen: {signature} · Thumbprint: {thumbprint} · Signed on paper: {paper} · Paid to a proxy: {proxy} · Paid to a family representative: {representative} · Back-entered: {back}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chưa nhận: {count} người, {amount}</source>
        <translation>Not yet paid: {count} people, {amount}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Khoản chi đã hủy: {count}</source>
        <translation>Reversed payments: {count}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Biên nhận số {number} {name}: {amount} — lý do: {reason} — giám sát: {supervisor}</source>
        <translation>Receipt no. {number} {name}: {amount} — reason: {reason} — supervisor: {supervisor}</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Tiền đếm được chênh lệch {amount} so với sổ sách: phải ghi lý do</source>
        <translation>The cash counted differs from the books by {amount}: a reason is required</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cần tên người chứng kiến (cán bộ xã hoặc giám sát viên)</source>
        <translation>A witness&apos;s name is required (commune officer or supervisor)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cần ghi người chứng kiến với tư cách gì (ví dụ: Cán bộ UBND xã)</source>
        <translation>Say in what capacity the witness signs (e.g. Commune People&apos;s Committee officer)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đang ghi…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Xong</source>
        <translation>Done</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Phiên đã đóng. Chênh lệch {amount}; người chứng kiến: {witness}. Nên sao lưu mã hóa ra ổ USB ngay.</source>
        <translation>The session is closed. Difference {amount}; witness: {witness}. Make an encrypted backup to a USB drive now.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Chọn ổ USB (thư mục) để sao lưu</source>
        <translation>Choose the USB drive (folder) for the backup</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đang sao lưu vào {path}…</source>
        <translation>Backing up to {path}…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đã sao lưu mã hóa vào {path} ({entries} bút toán). Cất ổ USB ở nơi an toàn.</source>
        <translation>Encrypted backup written to {path} ({entries} entries). Keep the USB drive in a safe place.</translation>
    </message>
</context>
<context>
    <name>ConflictsModel</name>
    <message>
        <location filename="../../ui/person_link_dialog.py" line="+60"/>
        <source>Số định danh</source>
        <translation>Personal number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hồ sơ thứ nhất</source>
        <translation>First record</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hồ sơ thứ hai</source>
        <translation>Second record</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Khác nhau ở</source>
        <translation>Differs in</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name} ({year}) — {code}, {agency}</source>
        <translation>{name} ({year}) — {code}, {agency}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>họ tên</source>
        <translation>name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>năm sinh</source>
        <translation>birth year</translation>
    </message>
</context>
<context>
    <name>ContradictionsModel</name>
    <message>
        <location filename="../../ui/import_report_dialog.py" line="+72"/>
        <source>Số</source>
        <translation>No.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mâu thuẫn</source>
        <translation>Contradiction</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quyết định</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đã giữ giá trị đang giữ</source>
        <translation>Kept what stands</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã theo danh sách</source>
        <translation>Accepted the list&apos;s value</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chờ quyết định</source>
        <translation>Awaiting a decision</translation>
    </message>
</context>
<context>
    <name>DocumentMenu</name>
    <message>
        <location filename="../../ui/document_viewer.py" line="+246"/>
        <source>&amp;Tài liệu</source>
        <translation>&amp;Documents</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Danh sách chi trả (mẫu để ký trên giấy)</source>
        <translation>Payout list (blank, for signing on paper)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Danh sách chi trả đã ký nhận</source>
        <translation>Signed payout list</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Biên nhận của người đang chọn</source>
        <translation>Receipt for the selected person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Biên bản đối chiếu cuối ngày</source>
        <translation>End-of-day reconciliation minutes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thông báo công khai</source>
        <translation>Public notice</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Báo cáo tháng</source>
        <translation>Monthly report</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ghi nhận đã niêm yết thông báo công khai…</source>
        <translation>Record that the public notice was posted…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Kiểm tra một tài liệu đã in (PDF)…</source>
        <translation>Check a printed document (PDF)…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Chưa mở phiên</source>
        <translation>No session open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hãy mở phiên chi trả trước (F2).</source>
        <translation>Open a payout session first (F2).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Chưa có khoản chi</source>
        <translation>No payment yet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người đang chọn chưa có khoản chi nào để in biên nhận.</source>
        <translation>The selected person has no payment to print a receipt for.</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Chọn tài liệu PDF</source>
        <translation>Choose a PDF document</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tài liệu PDF (*.pdf)</source>
        <translation>PDF documents (*.pdf)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Kiểm tra tài liệu</source>
        <translation>Check a document</translation>
    </message>
</context>
<context>
    <name>DocumentViewer</name>
    <message>
        <location line="-192"/>
        <source>{pages} trang · mã xác thực {fingerprint}</source>
        <translation>Pages: {pages} · fingerprint {fingerprint}</translation>
    </message>
    <message>
        <location line="-98"/>
        <source>In… (Ctrl+P)</source>
        <translation>Print… (Ctrl+P)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lưu PDF…</source>
        <translation>Save PDF…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Thu nhỏ (Ctrl+−)</source>
        <translation>Zoom out (Ctrl+−)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Phóng to (Ctrl++)</source>
        <translation>Zoom in (Ctrl++)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+54"/>
        <source>Vừa khổ rộng</source>
        <translation>Fit width</translation>
    </message>
    <message>
        <location line="-52"/>
        <location line="+54"/>
        <source>Cả trang</source>
        <translation>Whole page</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{pages} trang · mã xác thực: {sheets}</source>
        <translation>Pages: {pages} · fingerprints: {sheets}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>BẢN IN LẠI</source>
        <translation>REPRINT</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Lưu tài liệu</source>
        <translation>Save the document</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tài liệu PDF (*.pdf)</source>
        <translation>PDF documents (*.pdf)</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <location filename="../../ui/enrol_dialog.py" line="+348"/>
        <source>Đăng ký máy với máy chủ tỉnh</source>
        <translation>Enrol this device with the province server</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Đã đăng ký máy</source>
        <translation>Device enrolled</translation>
    </message>
</context>
<context>
    <name>EnrolForm</name>
    <message>
        <location line="-240"/>
        <source>Cán bộ tỉnh cấp địa chỉ máy chủ và một mã đăng ký dùng một lần. Sau khi đăng ký, máy gửi các khoản đã chi lên tỉnh và nhận danh sách chi trả, tài khoản nhân viên từ máy chủ tỉnh.</source>
        <translation>The province officer gives the server address and a one-time enrolment code. Once enrolled, this device sends its payments to the province and receives payout lists and staff accounts from the province server.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Địa chỉ máy chủ tỉnh</source>
        <translation>Province server address</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Mã đăng ký</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Không bắt buộc</source>
        <translation>Optional</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chỉ cần khi máy chủ tỉnh dùng chứng chỉ riêng của tỉnh: chọn tệp .pem do tỉnh cấp</source>
        <translation>Only needed when the province server uses the province&apos;s own certificate: choose the .pem file from the province</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Chọn tệp…</source>
        <translation>Choose file…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Chứng chỉ CA của tỉnh</source>
        <translation>Province CA certificate</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tên máy</source>
        <translation>Device name</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Đăng ký</source>
        <translation>Enrol</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Chọn tệp chứng chỉ CA của tỉnh</source>
        <translation>Choose the province&apos;s CA certificate file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chứng chỉ (*.pem *.crt);;Mọi tệp (*)</source>
        <translation>Certificates (*.pem *.crt);;All files (*)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Nhập địa chỉ máy chủ tỉnh, ví dụ https://chitra.example.vn</source>
        <translation>Enter the province server address, for example https://chitra.example.vn</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nhập mã đăng ký do cán bộ tỉnh cấp (dạng ABCD-EFGH-JKLM)</source>
        <translation>Enter the enrolment code from the province officer (like ABCD-EFGH-JKLM)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Mã đăng ký gồm 12 chữ và số, dạng ABCD-EFGH-JKLM: kiểm tra lại mã</source>
        <translation>An enrolment code has 12 letters and digits, like ABCD-EFGH-JKLM: check the code</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Đang đăng ký với máy chủ tỉnh {url}…</source>
        <translation>Enrolling with the province server {url}…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đã đăng ký máy với máy chủ tỉnh {url}. Máy này chi trả cho {count} xã: {communes}. Đang đồng bộ lần đầu để nhận danh sách chi trả và tài khoản nhân viên.</source>
        <translation>This device is enrolled with the province server {url}. It pays out in {count} commune(s): {communes}. The first sync is running to receive the payout lists and staff accounts.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Không tìm thấy tệp chứng chỉ {path}</source>
        <translation>Certificate file not found: {path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tệp {path} không phải chứng chỉ dạng PEM (phải có dòng -----BEGIN CERTIFICATE-----): xin tỉnh tệp .pem</source>
        <translation>{path} is not a PEM certificate (it must contain a -----BEGIN CERTIFICATE----- line): ask the province for the .pem file</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Địa chỉ máy chủ phải bắt đầu bằng https:// (http:// chỉ dùng cho máy chủ chạy trên chính máy này): {url}</source>
        <translation>The server address must start with https:// (http:// only for a server running on this computer): {url}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Mã đăng ký không đúng hoặc đã được dùng. Kiểm tra lại mã, hoặc xin cán bộ tỉnh cấp mã mới.</source>
        <translation>The enrolment code is wrong or already used. Check the code, or ask the province officer for a new one.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mã đăng ký đã hết hạn. Xin cán bộ tỉnh cấp mã mới.</source>
        <translation>The enrolment code has expired. Ask the province officer for a new one.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Không tin được chứng chỉ của máy chủ {url}. Chọn tệp chứng chỉ CA do tỉnh cấp, hoặc kiểm tra lại địa chỉ.</source>
        <translation>The certificate of {url} is not trusted. Choose the CA certificate file from the province, or check the address.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Không kết nối được máy chủ tỉnh {url}. Kiểm tra mạng và địa chỉ máy chủ rồi thử lại.</source>
        <translation>Cannot reach the province server {url}. Check the network and the server address, then try again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Máy chủ tỉnh đang gặp lỗi ({code}). Thử lại sau ít phút.</source>
        <translation>The province server has a problem ({code}). Try again in a few minutes.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tỉnh đã có một máy mang mã máy này. Báo cán bộ tỉnh kiểm tra danh sách máy.</source>
        <translation>The province already has a device with this device&apos;s id. Ask the province officer to check the device list.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Địa chỉ {url} không trả lời như máy chủ chi trả của tỉnh: kiểm tra lại địa chỉ.</source>
        <translation>{url} does not answer like the province payout server: check the address.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Máy chủ tỉnh từ chối đăng ký ({code}: {detail}). Báo cán bộ tỉnh.</source>
        <translation>The province server refused the enrolment ({code}: {detail}). Tell the province officer.</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../ui/first_run.py" line="+65"/>
        <source>Cài đặt máy — Payout Desk</source>
        <translation>Set up this laptop — Payout Desk</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Cài đặt máy mới</source>
        <translation>Set up a new laptop</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lần cài đặt trước chưa xong: chưa ai đăng nhập nên không mở được dữ liệu đã tải về. Dữ liệu đó sẽ được cất sang một thư mục riêng trong thư mục dữ liệu, rồi cài đặt lại từ đầu (đăng ký lại cần mã mới do tỉnh cấp).</source>
        <translation>The last setup was not finished: nobody signed in, so the data downloaded then cannot be opened. It will be moved to a separate folder inside the data folder, and the setup starts again (enrolling again needs a new code from the province).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Máy này chưa có dữ liệu chi trả. Chọn một cách bắt đầu:</source>
        <translation>This laptop has no payout data yet. Choose how to start:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đăng ký máy với máy chủ tỉnh (nên chọn)</source>
        <translation>Enrol this laptop with the province server (recommended)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cần địa chỉ máy chủ tỉnh và mã đăng ký do cán bộ tỉnh cấp. Danh sách chi trả và tài khoản nhân viên sẽ được tải về từ tỉnh.</source>
        <translation>You need the province server&apos;s address and an enrolment code from the province officer. The payout lists and staff accounts are downloaded from the province.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Dùng máy này không có máy chủ tỉnh: tạo tài khoản giám sát viên đầu tiên</source>
        <translation>Use this laptop without a province server: create the first supervisor account</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nhận dữ liệu từ tỉnh</source>
        <translation>Receiving data from the province</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Đồng bộ lại</source>
        <translation>Sync again</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Đăng nhập lần đầu trên máy này</source>
        <translation>First sign-in on this laptop</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Tài khoản giám sát viên đầu tiên</source>
        <translation>The first supervisor account</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Máy làm việc không có máy chủ tỉnh: danh sách chi trả được nhập từ tệp, tài khoản nhân viên do giám sát viên tạo. Mật khẩu này mở được dữ liệu trên máy: hãy nhớ kỹ.</source>
        <translation>This laptop works without a province server: payout lists are imported from files and staff accounts are created by a supervisor. This password opens the data on this laptop: remember it well.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nhập lại mật khẩu</source>
        <translation>Repeat the password</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+56"/>
        <source>Quay lại</source>
        <translation>Back</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Tạo tài khoản và đăng nhập</source>
        <translation>Create the account and sign in</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Đăng ký máy với máy chủ tỉnh</source>
        <translation>Enrol this device with the province server</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Đang nhận danh sách chi trả và tài khoản nhân viên từ tỉnh… Lần đầu có thể mất vài phút.</source>
        <translation>Receiving the payout lists and staff accounts from the province… The first time can take a few minutes.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Tài khoản nhân viên nhận từ tỉnh: {names}. Đăng nhập bằng tài khoản của mình: lần đăng nhập đầu tiên này cho mật khẩu của bạn mở được dữ liệu trên máy này.</source>
        <translation>Staff accounts received from the province: {names}. Sign in with your own account: this first sign-in lets your password open the data on this laptop.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Chưa nhận được dữ liệu từ tỉnh: {problem}</source>
        <translation>Nothing received from the province yet: {problem}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tỉnh chưa gửi tài khoản nhân viên nào cho các xã của máy này. Báo cán bộ tỉnh thêm tài khoản giao dịch viên hoặc giám sát viên của xã, rồi bấm «Đồng bộ lại».</source>
        <translation>The province has not sent any staff account for this laptop&apos;s communes yet. Ask the province officer to add a teller or supervisor account for the commune, then press “Sync again”.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Nhập họ và tên giám sát viên</source>
        <translation>Enter the supervisor&apos;s full name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tên đăng nhập không được trống hay có dấu cách</source>
        <translation>The username must not be empty or contain spaces</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mật khẩu cần ít nhất {count} ký tự</source>
        <translation>The password needs at least {count} characters</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hai lần nhập mật khẩu không khớp</source>
        <translation>The passwords do not match</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Chưa ai đăng nhập</source>
        <translation>Nobody has signed in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Máy đã đăng ký với tỉnh nhưng chưa ai đăng nhập trên máy này. Nếu thoát bây giờ, dữ liệu vừa nhận sẽ không mở lại được và phải đăng ký lại với mã mới. Vẫn thoát?</source>
        <translation>The laptop is enrolled with the province, but nobody has signed in on it yet. If you quit now, the data just received cannot be opened again and the laptop must be enrolled again with a new code. Quit anyway?</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <location filename="../../ui/import_report_dialog.py" line="+46"/>
        <source>Kết quả nhập danh sách</source>
        <translation>List import report</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Trùng số định danh hoặc mã hồ sơ ({count}) — giám sát viên xem và quyết định trong «Trùng số định danh»:</source>
        <translation>Shared personal numbers or record codes ({count}) — a supervisor reviews and decides them in “Shared personal numbers”:</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Giữ giá trị đang giữ (bỏ qua giá trị của danh sách)</source>
        <translation>Keep what stands (the list&apos;s value is set aside)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Theo danh sách (ghi thành điều chỉnh mới, cần lý do)</source>
        <translation>Accept the list&apos;s value (recorded as a new amendment; a reason is needed)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Ví dụ: số quyết định, giấy tờ đã xem</source>
        <translation>For example: the decision&apos;s number, the papers seen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ghi quyết định</source>
        <translation>Record the decision</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Danh sách mâu thuẫn với {count} giá trị đang giữ. Giá trị đang giữ vẫn giữ nguyên (người đã mất vẫn là đã mất, khoản bị mâu thuẫn tạm giữ) cho đến khi giám sát viên quyết định.</source>
        <translation>The list contradicts {count} standing values. What stands holds (the dead stay dead, a contradicted line is held) until a supervisor decides.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Danh sách không mâu thuẫn với giá trị nào đang giữ.</source>
        <translation>The list contradicts no standing value.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Theo danh sách cần ghi lý do</source>
        <translation>Accepting the list&apos;s value needs a reason</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Đang ghi…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Đã ghi quyết định cho mâu thuẫn số {number}</source>
        <translation>Decision recorded for contradiction {number}</translation>
    </message>
</context>
<context>
    <name>LinesModel</name>
    <message>
        <location filename="../../ui/models.py" line="+133"/>
        <source>Chi</source>
        <translation>Pay</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chế độ</source>
        <translation>Regime</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kỳ</source>
        <translation>Period</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Số tiền</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cơ quan</source>
        <translation>Agency</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giải thích</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{text} (giải thích của tỉnh)</source>
        <translation>{text} (the province&apos;s explanation)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Không chi</source>
        <translation>Not payable</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../ui/lock_screen.py" line="+70"/>
        <source>Màn hình đã khóa</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Máy đã tự khóa vì không dùng (lúc {time}). Người đang làm việc: {name}.</source>
        <translation>The laptop locked itself because it was not used (at {time}). Signed in: {name}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{name} đã khóa màn hình lúc {time}.</source>
        <translation>{name} locked the screen at {time}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nhập mật khẩu của {name} để mở khóa. Dữ liệu vẫn được đồng bộ với tỉnh trong khi khóa.</source>
        <translation>Enter {name}&apos;s password to unlock. The data keeps syncing with the province while the screen is locked.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Mở khóa</source>
        <translation>Unlock</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="+118"/>
        <source>Payout Desk — Chi trả trợ cấp người có công</source>
        <translation>Payout Desk — Allowances for people with meritorious services</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>DỮ LIỆU THỬ — không dùng để chi trả thật</source>
        <translation>DEMO DATA — not for real payments</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chưa mở phiên chi trả (F2)</source>
        <translation>No payout session open (F2)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Tên không dấu, mã hồ sơ, CCCD, thôn… hoặc quét QR</source>
        <translation>Name (no accents), record code, ID, village… or scan the QR</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tìm theo tên (gõ không dấu, theo thứ tự bất kỳ), mã hồ sơ, số CCCD hoặc thôn; hoặc quét mã QR trên thẻ CCCD (F3)</source>
        <translation>Find by name (typed without accents, in any order), record code, ID number or village; or scan the QR code on the ID card (F3)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chưa nhận</source>
        <translation>Not yet paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã nhận</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không được chi</source>
        <translation>Cannot be paid</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+492"/>
        <source>Mọi thôn/tổ</source>
        <translation>All villages</translation>
    </message>
    <message>
        <location line="-442"/>
        <source>Đang xử lý…</source>
        <translation>Working…</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>&amp;Phiên chi trả</source>
        <translation>&amp;Session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mở phiên chi trả…</source>
        <translation>Open a payout session…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tìm người</source>
        <translation>Find a person</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Kết thúc ngày: đếm tiền, đóng phiên…</source>
        <translation>End of day: count the cash, close the session…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Đăng ký máy với máy chủ tỉnh…</source>
        <translation>Enrol this device with the province server…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Xuất nhật ký chờ gửi ra USB…</source>
        <translation>Export the unsent journal to USB…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nhập danh sách chi trả từ tệp…</source>
        <translation>Import a payout list from a file…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mâu thuẫn danh sách chờ quyết định…</source>
        <translation>List contradictions awaiting a decision…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Cài đặt…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Khóa màn hình</source>
        <translation>Lock the screen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Thêm người đăng nhập trên máy này…</source>
        <translation>Add a person who signs in on this laptop…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Sửa sai</source>
        <translation>&amp;Corrections</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy một khoản chi (giám sát viên)…</source>
        <translation>Reverse a payment (supervisor)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nhập bù khoản đã chi trên giấy (giám sát viên)…</source>
        <translation>Back-enter a payment made on paper (supervisor)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Trùng số định danh: ghép hoặc tách hồ sơ (giám sát viên)…</source>
        <translation>Shared personal numbers: link or separate records (supervisor)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phiên đã đóng</source>
        <translation>Session closed</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Chọn danh sách chi trả</source>
        <translation>Choose a payout list</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Danh sách chi trả (*.xlsx *.csv)</source>
        <translation>Payout lists (*.xlsx *.csv)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Đã nhập danh sách kỳ {period} ({source}): thêm {people_added} người, cập nhật {people_updated} người; thêm {added} khoản, đổi {changed} khoản, rút {removed} khoản.</source>
        <translation>Imported the {period} list ({source}): {people_added} people added, {people_updated} updated; {added} lines added, {changed} changed, {removed} withdrawn.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Các mâu thuẫn danh sách chờ quyết định.</source>
        <translation>List contradictions awaiting a decision.</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Phiên chi trả ngày {day} vẫn đang mở (chưa kết thúc ngày, F9).</source>
        <translation>The payout session of {day} is still open (the day has not been closed, F9).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tiền mặt phải còn trong tay: {cash}.</source>
        <translation>Cash that should be in hand: {cash}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} bút toán chưa gửi về tỉnh (chưa đồng bộ).</source>
        <translation>{count} journal entries not yet sent to the province (not synced).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mọi bút toán đã gửi về tỉnh.</source>
        <translation>Every journal entry has reached the province.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Thoát khi phiên còn mở?</source>
        <translation>Quit with the session open?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nên đếm tiền và kết thúc ngày trước khi thoát. Dữ liệu đã ghi vẫn an toàn; phiên sẽ mở lại khi khởi động.</source>
        <translation>Count the cash and close the day before quitting. What was recorded is safe; the session resumes at the next start.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ở lại</source>
        <translation>Stay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kết thúc ngày (F9)…</source>
        <translation>Close the day (F9)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vẫn thoát</source>
        <translation>Quit anyway</translation>
    </message>
    <message>
        <location line="+142"/>
        <source>Phiên chi trả: {point}, {commune} · ngày {day} · kỳ {period} · giao dịch viên {staff}</source>
        <translation>Payout session: {point}, {commune} · {day} · period {period} · teller {staff}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Tạm ứng {advance}</source>
        <translation>Advance {advance}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tiền mặt còn: {cash}</source>
        <translation>Cash on hand: {cash}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã chi {paid} người · còn {left} người</source>
        <translation>People paid: {paid} · remaining: {left}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>phiên đã đóng: tạm ứng {advance}, đã chi {paid}, kiểm đếm {counted}</source>
        <translation>closed session: advance {advance}, paid {paid}, counted {counted}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> — mở lại do giám sát viên {who} duyệt, lý do: {reason}</source>
        <translation> — reopened with supervisor {who}&apos;s approval, reason: {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ngày đã kết thúc rồi mở lại: {earlier}{why}. Cả ngày đã chi {paid}.</source>
        <translation>Day closed, then reopened: {earlier}{why}. Paid over the whole day: {paid}.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{count} người</source>
        <translation>People found: {count}</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Không có trong danh sách</source>
        <translation>Not on the list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số CCCD {id} không có trong danh sách chi trả của xã này.</source>
        <translation>ID number {id} is not on this commune&apos;s payout list.</translation>
    </message>
</context>
<context>
    <name>PaymentsModel</name>
    <message>
        <location filename="../../ui/reversal_dialog.py" line="+61"/>
        <source>Giờ chi</source>
        <translation>Time paid</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Số tiền</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Biên nhận</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người nhận tiền</source>
        <translation>Received by</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ủy quyền: {name}</source>
        <translation>Proxy: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đại diện: {name}</source>
        <translation>Representative: {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chính chủ</source>
        <translation>In person</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(nhập bù, chi ngày {day})</source>
        <translation>(back-entered, paid on {day})</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>số {number}</source>
        <translation>no. {number}</translation>
    </message>
</context>
<context>
    <name>PendingExport</name>
    <message>
        <location filename="../../ui/pending_export.py" line="+66"/>
        <source>Ghi nhật ký chờ gửi ra USB</source>
        <translation>Write the unsent journal to USB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nhật ký chờ gửi (*.json)</source>
        <translation>Unsent journal (*.json)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Đã ghi nhật ký chờ gửi</source>
        <translation>Unsent journal written</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã ghi {count} bút toán chờ gửi vào {path}. Mang tệp đến tỉnh để nhập (payout-server import-batch). Máy vẫn giữ các bút toán này và gửi lại ở lần đồng bộ sau; tỉnh tự bỏ qua những bút toán đã nhập.</source>
        <translation>Wrote {count} unsent entries to {path}. Take the file to the province to import (payout-server import-batch). This device keeps the entries and sends them again at the next sync; the province skips those already imported.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Không có gì để ghi</source>
        <translation>Nothing to write</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không có bút toán nào chờ gửi: máy chủ tỉnh đã nhận đủ, không ghi tệp nào.</source>
        <translation>No entries waiting to be sent: the province server has them all, no file was written.</translation>
    </message>
</context>
<context>
    <name>PeopleModel</name>
    <message>
        <location filename="../../ui/models.py" line="-159"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Năm sinh</source>
        <translation>Birth year</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mã hồ sơ</source>
        <translation>Record code</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Số CCCD</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thôn/Tổ</source>
        <translation>Village</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loại đối tượng</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Còn được nhận</source>
        <translation>Still due</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Chưa nhận</source>
        <translation>Not yet paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã nhận</source>
        <translation>Paid</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Không được chi</source>
        <translation>Cannot be paid</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>còn được nhận {amount}</source>
        <translation>still due {amount}</translation>
    </message>
</context>
<context>
    <name>PersonLinkDialog</name>
    <message>
        <location filename="../../ui/person_link_dialog.py" line="+34"/>
        <source>Trùng số định danh — ghép hoặc tách hồ sơ</source>
        <translation>Shared personal numbers — link or separate records</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hai hồ sơ cùng số định danh nhưng khác họ tên hoặc năm sinh không được tự ghép: mỗi hồ sơ vẫn được chi riêng cho đến khi giám sát viên quyết định. Chọn một dòng, hoặc nhập hai mã hồ sơ (cả người chưa có số định danh), rồi ghi lý do.</source>
        <translation>Two records with one personal number but another name or birth year are never linked by themselves: each stays payable on its own until a supervisor decides. Pick a row, or type two record codes (also for a person without a personal number), then give the reason.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Ghép: là một người</source>
        <translation>Link: one person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tách: là hai người khác nhau</source>
        <translation>Separate: two different people</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy quyết định trước (theo số định danh như ban đầu)</source>
        <translation>Undo the earlier decision (back to the personal number)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ví dụ: đã xem CCCD, tên trên danh sách BHXH viết khác</source>
        <translation>For example: ID card seen, the name is spelt differently on BHXH&apos;s list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã hồ sơ thứ nhất</source>
        <translation>First record code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mã hồ sơ thứ hai</source>
        <translation>Second record code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quyết định</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang tải…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ghi quyết định</source>
        <translation>Record the decision</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Không có trường hợp trùng số định danh nào chờ quyết định</source>
        <translation>No shared personal number waits for a decision</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Nhập hai mã hồ sơ, hoặc chọn một dòng</source>
        <translation>Type two record codes, or pick a row</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Phải ghi lý do quyết định</source>
        <translation>A reason is required for the decision</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Đang ghi…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>PersonPanel</name>
    <message>
        <location filename="../../ui/person_panel.py" line="+141"/>
        <location line="+219"/>
        <source>Tìm một người để bắt đầu (F3)</source>
        <translation>Find a person to begin (F3)</translation>
    </message>
    <message>
        <location line="-163"/>
        <source>Xác nhận chi (Ctrl+Enter)</source>
        <translation>Confirm payment (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Chi tiếp các khoản còn lại</source>
        <translation>Pay the remaining lines</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Kiểm tra danh tính</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>— chọn —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quét mã QR CCCD, khớp danh sách</source>
        <translation>ID card QR scanned, matches the list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đã xem thẻ CCCD</source>
        <translation>ID card inspected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cán bộ xã xác nhận</source>
        <translation>Vouched for by a commune officer</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Ký trên màn hình</source>
        <translation>Sign on the screen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Điểm chỉ</source>
        <translation>Thumbprint</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ký trên giấy</source>
        <translation>Signed on paper</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người nhận ký trên danh sách chi trả in sẵn</source>
        <translation>The recipient signs the printed payout sheet</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Ví dụ: tay run, không ký được</source>
        <translation>For example: shaking hands, cannot sign</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cán bộ xã hoặc người làm chứng</source>
        <translation>Commune officer or another witness</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người làm chứng</source>
        <translation>Witness</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Mã hồ sơ: {code}</source>
        <translation>Record code: {code}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Năm sinh: {year}</source>
        <translation>Born: {year}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CCCD: {id}</source>
        <translation>ID: {id}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thôn/Tổ: {village}</source>
        <translation>Village: {village}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>✓ {message} ({date}) — đã xử lý</source>
        <translation>✓ {message} ({date}) — resolved</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>⚠ {message} ({date})</source>
        <translation>⚠ {message} ({date})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>… và {count} cảnh báo khác (trỏ chuột vào đây để xem)</source>
        <translation>… and {count} more flags (point here to see them)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{agency} ĐANG TẠM DỪNG CHI TRẢ: {reason}</source>
        <translation>{agency} PAYMENTS SUSPENDED: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ĐANG TẠM DỪNG CHI TRẢ: {reason}</source>
        <translation>PAYMENTS SUSPENDED: {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>chưa ghi nhận</source>
        <translation>not recorded</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ĐÃ MẤT ngày {date}. Người đại diện: {rep}</source>
        <translation>DIED on {date}. Representative: {rep}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đã nhận đủ trong kỳ này</source>
        <translation>Fully paid for this period</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Tổng chi: {amount}</source>
        <translation>Total to pay: {amount}</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Phiên đã đóng: không chi thêm được</source>
        <translation>Session closed: no more payments</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Đang ghi…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>ĐÃ CHI {amount} — {recipient} nhận thay {name} (đã mất)</source>
        <translation>PAID {amount} — {recipient} collected for {name} (deceased)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ĐÃ CHI {amount} — {recipient} (người được ủy quyền) nhận thay {name}</source>
        <translation>PAID {amount} — {recipient} (authorised proxy) collected for {name}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ĐÃ CHI {amount} cho {name}</source>
        <translation>PAID {amount} to {name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lúc {time} — biên nhận số {number}</source>
        <translation>at {time} — receipt no. {number}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Đã hủy biên nhận số {number} của {name}: {amount} — lý do: {reason}{approved}. Các khoản này lại được chi.</source>
        <translation>Reversed receipt no. {number} of {name}: {amount} — reason: {reason}{approved}. These lines can be paid again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đã nhập bù biên nhận số {number} cho {name}: {amount}, chi ngày {day} theo danh sách giấy «{sheet}»{approved}.</source>
        <translation>Back-entered receipt no. {number} for {name}: {amount}, paid on {day} from paper sheet “{sheet}”{approved}.</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>(giám sát viên {name} duyệt)</source>
        <translation>(approved by supervisor {name})</translation>
    </message>
</context>
<context>
    <name>PolicyNoticesButton</name>
    <message>
        <location filename="../../ui/policy_panel.py" line="+93"/>
        <source>Thông báo chính sách ({count})</source>
        <translation>Policy notices ({count})</translation>
    </message>
</context>
<context>
    <name>PolicyNoticesDialog</name>
    <message>
        <location line="-42"/>
        <source>Thông báo chính sách</source>
        <translation>Policy notices</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thông báo của tỉnh về chính sách, nhận qua đồng bộ. Đọc cho người hưởng khi họ hỏi.</source>
        <translation>The province&apos;s policy notices, received by sync. Read them to people when they ask.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Về</source>
        <translation>About</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>mọi chế độ</source>
        <translation>every regime</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hiệu lực từ</source>
        <translation>effective from</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chưa có thông báo chính sách nào.</source>
        <translation>No policy notice yet.</translation>
    </message>
</context>
<context>
    <name>PostingDialog</name>
    <message>
        <location filename="../../ui/posting_dialog.py" line="+46"/>
        <source>Ghi nhận niêm yết thông báo công khai</source>
        <translation>Record the posting of the public notice</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Thông báo chi trả tháng {period} tại {point}: nơi, ngày niêm yết và cán bộ xã đã niêm yết.</source>
        <translation>The payout notice for {period} at {point}: where and when it was posted, and the commune officer who posted it.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Ví dụ: bảng tin nhà văn hóa thôn Đông</source>
        <translation>For example: the notice board of the village cultural house</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Họ tên cán bộ UBND xã</source>
        <translation>Full name of the commune officer</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+37"/>
        <source>Không có ảnh</source>
        <translation>No photo</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Chọn ảnh…</source>
        <translation>Choose a photo…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bỏ ảnh</source>
        <translation>Remove the photo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ngày niêm yết</source>
        <translation>Posted on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nơi niêm yết</source>
        <translation>Where</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cán bộ xã niêm yết</source>
        <translation>Commune officer who posted it</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ảnh chụp (không bắt buộc)</source>
        <translation>Photo (optional)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Để sau</source>
        <translation>Later</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Chọn ảnh chụp bản niêm yết</source>
        <translation>Choose a photo of the posted notice</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ảnh (*.jpg *.jpeg *.png)</source>
        <translation>Photos (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>RecipientBox</name>
    <message>
        <location filename="../../ui/recipient_box.py" line="+47"/>
        <source>Người nhận</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Chính chủ</source>
        <translation>In person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Người được ủy quyền</source>
        <translation>Authorised proxy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Đại diện gia đình</source>
        <translation>Family representative</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chỉ khi đối tượng đã mất: người đại diện gia đình đã được ghi nhận</source>
        <translation>Only when the person has died: the recorded family representative</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Họ tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số CCCD</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Giấy ủy quyền</source>
        <translation>Authorisation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>đến</source>
        <translation>until</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Số giấy ủy quyền và ngày hết hạn ghi trên giấy</source>
        <translation>The authorisation letter&apos;s number and its expiry date, as written on it</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>12 số trên thẻ CCCD của người nhận</source>
        <translation>the 12 digits on the collector&apos;s ID card</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Chưa có người đại diện gia đình được ghi nhận: không chi được</source>
        <translation>No family representative is recorded: nothing can be paid</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Người đại diện đã ghi nhận: {name}</source>
        <translation>Recorded representative: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(số CCCD kết thúc bằng {last})</source>
        <translation>(ID number ending in {last})</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Ủy quyền trên hồ sơ: {name} (CCCD {id}), giấy số {number} — đã hết hạn ngày {until}</source>
        <translation>Authorisation on file: {name} (ID {id}), letter {number} — expired on {until}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ủy quyền trên hồ sơ: {name} (CCCD {id}), giấy số {number}, đến ngày {until}</source>
        <translation>Authorisation on file: {name} (ID {id}), letter {number}, valid until {until}</translation>
    </message>
</context>
<context>
    <name>ReversalDialog</name>
    <message>
        <location filename="../../ui/reversal_dialog.py" line="+40"/>
        <source>Hủy một khoản chi đã ghi</source>
        <translation>Reverse a recorded payment</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chọn khoản chi cần hủy. Khoản chi không bị xóa: một bút toán hủy được ghi vào sổ và các khoản của người này lại được chi.</source>
        <translation>Choose the payment to reverse. The payment is not deleted: a reversal entry is written to the journal and this person&apos;s lines can be paid again.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Ví dụ: chi nhầm người, chi sai số tiền</source>
        <translation>For example: paid the wrong person, paid the wrong amount</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lý do hủy</source>
        <translation>Reason for the reversal</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang tải các khoản chi…</source>
        <translation>Loading payments…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hủy khoản chi này</source>
        <translation>Reverse this payment</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Phiên này chưa có khoản chi nào để hủy</source>
        <translation>This session has no payments to reverse</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Hủy biên nhận số {number} của {name} ({code}): {amount} — {words}</source>
        <translation>Reverse receipt no. {number} of {name} ({code}): {amount} — {words}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Phải ghi lý do hủy khoản chi</source>
        <translation>A reason for the reversal is required</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Đang ghi…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>SessionDialog</name>
    <message>
        <location filename="../../ui/session_dialog.py" line="+78"/>
        <source>Mở phiên chi trả</source>
        <translation>Open a payout session</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Gõ tên xã, không cần dấu</source>
        <translation>Type the commune&apos;s name, accents optional</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gõ tên điểm chi trả, không cần dấu</source>
        <translation>Type the point&apos;s name, accents optional</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Xã/Phường</source>
        <translation>Commune/ward</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Điểm chi trả</source>
        <translation>Payout point</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lịch chi trả</source>
        <translation>Payout schedule</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ngày chi trả</source>
        <translation>Payout date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tiền tạm ứng nhận (đồng)</source>
        <translation>Cash advance received (VND)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Ví dụ: người hưởng đến muộn sau khi đã chốt</source>
        <translation>e.g. a beneficiary came after the day was closed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lý do mở lại</source>
        <translation>Reason for reopening</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Mở phiên</source>
        <translation>Open session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Danh sách không có lịch chi trả từ hôm nay ({today}): chọn xã, điểm và ngày chi trả.</source>
        <translation>The lists announce no payout day from today ({today}) on: choose the commune, the point and the day.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hôm nay ({day}) có lịch chi trả tại {point}, {time}.</source>
        <translation>Today ({day}) payouts are scheduled at {point}, {time}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hôm nay ({today}) không có lịch chi trả. Đã chọn sẵn ngày có lịch gần nhất: {weekday} {day} tại {point}, {time}.</source>
        <translation>No payouts are scheduled today ({today}). The next scheduled day is chosen: {weekday} {day} at {point}, {time}.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Thứ Hai</source>
        <translation>Monday</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thứ Ba</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thứ Tư</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thứ Năm</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thứ Sáu</source>
        <translation>Friday</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thứ Bảy</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chủ nhật</source>
        <translation>Sunday</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>(danh sách không ghi lịch)</source>
        <translation>(the list has no schedule)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Điểm này không có lịch hôm nay: đã chọn ngày có lịch gần nhất, {weekday} {day}.</source>
        <translation>This point has no slot today: the nearest scheduled day is chosen, {weekday} {day}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lịch của điểm này đã qua: ngày chi trả là hôm nay ({today}).</source>
        <translation>This point&apos;s scheduled days are past: the payout day is today ({today}).</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Số tiền không hợp lệ</source>
        <translation>Invalid amount</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Ngày {day} tại điểm này đã kết thúc (đã đóng phiên, kiểm đếm).</source>
        <translation>The day {day} at this point has been closed (session closed, cash counted).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Phiên đã đóng: tạm ứng {advance}, đã chi {paid}, kiểm đếm {counted}.</source>
        <translation>Closed session: advance {advance}, paid {paid}, counted {counted}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mở lại cần giám sát viên duyệt và ghi lý do; cả hai phiên sẽ có trong biên bản.</source>
        <translation>Reopening needs a supervisor&apos;s approval and a reason; both sessions will appear in the minutes.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Nhập số tiền tạm ứng, ví dụ 50.000.000</source>
        <translation>Enter the cash advance, for example 50.000.000</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chọn điểm chi trả và nhập số tiền tạm ứng</source>
        <translation>Choose the payout point and enter the cash advance</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Phải ghi lý do mở lại ngày đã kết thúc</source>
        <translation>A reason is required to reopen a closed day</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Đang mở phiên…</source>
        <translation>Opening the session…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="+28"/>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> phút</source>
        <translation> minutes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>không tự khóa</source>
        <translation>never</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> giây</source>
        <translation> s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chỉ khi bấm Đồng bộ</source>
        <translation>only when Sync is clicked</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>mỗi </source>
        <translation>every </translation>
    </message>
    <message>
        <location line="+1"/>
        <source> người một lần</source>
        <translation> people</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>không mời</source>
        <translation>never</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ngôn ngữ giao diện</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tự khóa màn hình sau</source>
        <translation>Lock the screen after</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tự đồng bộ với tỉnh mỗi</source>
        <translation>Sync with the province every</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mời khảo sát hài lòng</source>
        <translation>Offer the satisfaction survey</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ngôn ngữ mới được dùng từ lần mở chương trình sau.</source>
        <translation>The new language is used from the next time the program starts.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lưu</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hủy</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../ui/signin_dialog.py" line="-74"/>
        <source>Đăng nhập — Payout Desk</source>
        <translation>Sign in — Payout Desk</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Dữ liệu trên máy này được mã hóa. Mật khẩu của người đã từng đăng nhập trên máy này mở được dữ liệu: {holders}.</source>
        <translation>The data on this laptop is encrypted. The password of someone who has signed in on this laptop opens it: {holders}.</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>DỮ LIỆU THỬ</source>
        <translation>DEMO DATA</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
</context>
<context>
    <name>SignInForm</name>
    <message>
        <location line="-122"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Nhập tên đăng nhập và mật khẩu</source>
        <translation>Enter your username and password</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang kiểm tra…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>SignatureField</name>
    <message>
        <location filename="../../ui/signature_pad.py" line="+498"/>
        <source>Hoàn tác nét cuối</source>
        <translation>Undo last stroke</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bỏ nét ký vừa vẽ</source>
        <translation>Remove the stroke just drawn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xóa</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Xóa chữ ký để ký lại</source>
        <translation>Clear the signature to sign again</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location line="-386"/>
        <source>Ô ký tên</source>
        <translation>Signature pad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ký tên tại đây bằng chuột, bút hoặc ngón tay. Phím Delete để xóa.</source>
        <translation>Sign here with a mouse, a pen or a finger. Press Delete to clear.</translation>
    </message>
    <message>
        <location line="+331"/>
        <source>Ký tại đây</source>
        <translation>Sign here</translation>
    </message>
</context>
<context>
    <name>SupervisorBox</name>
    <message>
        <location filename="../../ui/supervisor.py" line="+54"/>
        <source>Giám sát viên duyệt</source>
        <translation>Supervisor approval</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name} (giám sát viên đang đăng nhập)</source>
        <translation>{name} (supervisor signed in)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Người duyệt</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Giám sát viên nhập tên đăng nhập và mật khẩu của mình tại chỗ.</source>
        <translation>The supervisor enters their own username and password here.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Giám sát viên cần nhập tên đăng nhập và mật khẩu</source>
        <translation>The supervisor must enter a username and password</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{name} không phải giám sát viên: cần giám sát viên duyệt</source>
        <translation>{name} is not a supervisor: a supervisor must approve</translation>
    </message>
</context>
<context>
    <name>SurveyDialog</name>
    <message>
        <location filename="../../ui/survey_dialog.py" line="+36"/>
        <source>Xin ý kiến của ông/bà</source>
        <translation>Your opinion, please</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Xin ông/bà cho biết ý kiến — không ghi tên, không ảnh hưởng đến khoản tiền vừa nhận. Chạm một ô cho mỗi câu.</source>
        <translation>Please tell us what you think — no name is written down, and it does not affect the money you just received. Tap one box for each question.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Bỏ qua câu này</source>
        <translation>Skip this question</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Không trả lời</source>
        <translation>I&apos;d rather not answer</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Có, đúng thời gian</source>
        <translation>Yes, on time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rất tốt</source>
        <translation>Very good</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tốt</source>
        <translation>Good</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bình thường</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chưa tốt</source>
        <translation>Not good</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kém</source>
        <translation>Poor</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ông/bà được nhận tiền đúng thời gian không?</source>
        <translation>Did you receive the money at the right time?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Thái độ phục vụ của nhân viên bưu điện?</source>
        <translation>How was the post office staff&apos;s attitude?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sự hỗ trợ của cán bộ xã?</source>
        <translation>How helpful was the commune officer?</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Câu {n}/{total}</source>
        <translation>Question {n}/{total}</translation>
    </message>
</context>
<context>
    <name>SyncControl</name>
    <message>
        <location filename="../../ui/sync_status.py" line="+82"/>
        <source>Đang đọc trạng thái đồng bộ…</source>
        <translation>Reading the sync status…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Đồng bộ</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Chờ gửi: {count}</source>
        <translation>To send: {count}</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Đang đồng bộ…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Đang gửi {done}/{total}…</source>
        <translation>Sending {done}/{total}…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Đang tải về {count} thay đổi…</source>
        <translation>Downloading {count} changes…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>⚠ {count} cảnh báo</source>
        <translation>⚠ {count} flags</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Máy chủ tỉnh đánh dấu {count} khoản cần xem lại; mở từng người để xem chi tiết</source>
        <translation>The province server flagged {count} entries for review; open each person to see the details</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Máy này chưa đăng ký với máy chủ tỉnh nên không đồng bộ được. Các khoản chi vẫn được lưu an toàn trên máy; cán bộ tỉnh cấp mã đăng ký để bật đồng bộ.</source>
        <translation>This device is not enrolled with a province server, so it cannot sync. Payments are still kept safely on this computer; the province officer gives an enrolment code to turn sync on.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chưa đăng ký máy chủ tỉnh</source>
        <translation>Not enrolled with a province server</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Gửi các khoản đã chi lên máy chủ tỉnh và tải danh sách mới ({url})</source>
        <translation>Send the payments to the province server and download the new lists ({url})</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Chưa đồng bộ lần nào</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Đồng bộ xong lúc {time}</source>
        <translation>Synced at {time}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lỗi đồng bộ lúc {time}: {error}</source>
        <translation>Sync failed at {time}: {error}</translation>
    </message>
</context>
<context>
    <name>_Cover</name>
    <message>
        <location filename="../../ui/lock_screen.py" line="-55"/>
        <source>Màn hình đã khóa</source>
        <translation>Screen locked</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../ui/errors.py" line="+20"/>
        <source>Lỗi không mong đợi ({kind}). Dữ liệu đã lưu vẫn an toàn.</source>
        <translation>Unexpected error ({kind}). The saved data is safe.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Không thực hiện được</source>
        <translation>Could not be done</translation>
    </message>
</context>
</TS>
