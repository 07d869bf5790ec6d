"""``payout-desk``: the command line of the desktop client (Vietnamese by default, ``--lang en``).

Exit codes: 0 success, 2 bad input (nothing changed), 1 any other failure. User errors print one line (or one line
per bad row of a list), never a traceback; set ``PAYOUT_DESK_DEBUG=1`` to see tracebacks of unexpected errors.

A command that opens the data folder needs a key slot, as the window does: the OS keyring's where the laptop has one,
else a staff member who has signed in on this laptop (``--as USERNAME``, or asked; the password is asked without echo,
or read from standard input with ``--password-stdin``). Passwords are never command-line arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.domain.amendments import describe
from app.domain.clock import VIETNAM, ProvinceTime
from app.domain.errors import BadInputError, PayoutError, StoreError
from app.domain.messages import render
from app.domain.model import Role
from app.domain.money import amount_in_words, format_number, format_vnd
from app.domain.period import check_period, display_period

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
DEMO_BANNER = "DỮ LIỆU THỬ"

CLI_MESSAGES: dict[str, tuple[str, str]] = {
    "demo_data_written": (
        "Đã ghi danh sách thử {path}: {communes} xã, {people} người, {lines} khoản, tổng {total}",
        "Wrote demo list {path}: {communes} communes, {people} people, {lines} lines, total {total}",
    ),
    "import_done": (
        "Đã nhập danh sách kỳ {period} ({source}): thêm {people_added} người, cập nhật {people_updated} người; "
        "thêm {added} khoản, đổi {changed} khoản, rút {removed} khoản, giữ nguyên {unchanged} khoản",
        "Imported the {period} list ({source}): {people_added} people added, {people_updated} updated; "
        "{added} lines added, {changed} changed, {removed} withdrawn, {unchanged} unchanged",
    ),
    "import_nothing": ("Danh sách không có gì thay đổi so với dữ liệu hiện có", "The list changes nothing"),
    "import_change": ("  đổi {key}: {field} {old} → {new}", "  changed {key}: {field} {old} → {new}"),
    "import_kept_paid": (
        "  giữ nguyên khoản đã chi {key}: danh sách mới ghi {field} {new} (đã chi {old})",
        "  kept paid line {key}: the new list says {field} {new} (paid {old})",
    ),
    "import_contradictions": (
        "Danh sách mâu thuẫn với {count} giá trị đang giữ; giá trị đang giữ vẫn giữ nguyên, chờ giám sát viên quyết "
        "định (payout-desk decide SỐ --keep | --accept --reason … --as GIÁM_SÁT_VIÊN):",
        "The list contradicts {count} standing values; they hold until a supervisor decides "
        "(payout-desk decide N --keep | --accept --reason … --as SUPERVISOR):",
    ),
    "contradiction_line": ("  [{number}] {text}", "  [{number}] {text}"),
    "contradiction_state": ("  [{number}] {text} — {state}", "  [{number}] {text} — {state}"),
    "no_contradictions": ("Không có mâu thuẫn nào chờ quyết định", "No contradiction waits for a decision"),
    "import_refused_rows": ("Bỏ qua {count} dòng có mã hồ sơ của cơ quan khác:",
                            "{count} rows skipped, their record code belongs to another agency:"),
    "import_identity_conflicts": ("{count} trường hợp trùng số định danh nhưng khác họ tên hoặc năm sinh (chưa ghép):",
                                  "{count} records share a personal number with another but not the name or birth "
                                  "year (not merged):"),
    "identity_conflicts_none": ("Không có trường hợp trùng số định danh nào", "No personal number conflicts"),
    "identity_conflict_row": ("  {id_number}: {first_name} ({first_code}, {first_agency}, {first_year}) — "
                              "{second_name} ({second_code}, {second_agency}, {second_year}): khác {differs}",
                              "  {id_number}: {first_name} ({first_code}, {first_agency}, {first_year}) — "
                              "{second_name} ({second_code}, {second_agency}, {second_year}): {differs} differ"),
    "person_linked": ("Đã ghép thành một người: {codes}", "Now one person: {codes}"),
    "person_separated": ("Đã tách: {first} và {second} là hai người", "Separated: {first} and {second} are two people"),
    "person_unlinked": ("Đã hủy quyết định về {first} và {second}; hồ sơ của người này: {codes}",
                        "Undid the decision about {first} and {second}; this person's records: {codes}"),
    "decided_keep": ("Đã giữ giá trị đang giữ: [{number}] {name}", "Kept what stands: [{number}] {name}"),
    "decided_accept": ("Đã theo danh sách (ghi thành điều chỉnh mới): [{number}] {name}",
                       "Accepted the list's value (recorded as a new amendment): [{number}] {name}"),
    "import_removed": (
        "  rút khoản chưa chi {key} (không còn trong danh sách)", "  withdrew unpaid line {key} (no longer listed)",
    ),
    "search_none": ("Không tìm thấy ai", "Nobody found"),
    "search_qr_none": (
        "Số CCCD {id_number} (từ mã QR) không có trong danh sách",
        "ID number {id_number} (from the QR code) is not on the list",
    ),
    "verify_ok": (
        "Sổ nhật ký hợp lệ: {entries} bút toán, bút toán cuối #{seq} {hash}",
        "The journal verifies: {entries} entries, last #{seq} {hash}",
    ),
    "verify_bad": ("Sổ nhật ký KHÔNG hợp lệ: {count} vấn đề", "The journal does NOT verify: {count} problems"),
    "verify_problem": ("  bút toán #{seq} ({entry}): {reason}", "  entry #{seq} ({entry}): {reason}"),
    "backup_done": (
        "Đã sao lưu (mã hóa) vào {path}: {entries} bút toán, cuối #{seq}",
        "Encrypted backup written to {path}: {entries} entries, last #{seq}",
    ),
    "restore_done": (
        "Đã khôi phục từ {path}: {entries} bút toán; bản dữ liệu cũ giữ tại {safety}",
        "Restored from {path}: {entries} entries; the previous data is kept at {safety}",
    ),
    "user_added": ("Đã tạo tài khoản {username} ({role})", "Account {username} created ({role})"),
    "password_prompt": ("Mật khẩu cho {username}: ", "Password for {username}: "),
    "password_again": ("Nhập lại mật khẩu: ", "Repeat the password: "),
    "password_mismatch": ("Hai lần nhập mật khẩu không khớp", "The passwords do not match"),
    "username_prompt": ("Tên đăng nhập (người mở máy này): ", "Username (someone who opens this laptop): "),
    "opener_password_prompt": ("Mật khẩu của {username}: ", "Password of {username}: "),
    "sign_in_to_open": (
        "Dữ liệu trên máy này được mã hóa; người mở được: {holders}",
        "The data on this laptop is encrypted; who can open it: {holders}",
    ),
    "demo_creating": ("Đang tạo dữ liệu thử tại {path} …", "Creating demo data in {path} …"),
    "demo_summary": (
        "Kỳ {period}: {communes} xã, {points} điểm chi trả, {people} người, {lines} khoản tiền mặt, tổng {total}",
        "Period {period}: {communes} communes, {points} payout points, {people} people, {lines} cash lines, "
        "total {total}",
    ),
    "demo_accounts": (
        "Tài khoản thử: giao dịch viên «{teller}» / mật khẩu «{teller_pw}»; "
        "giám sát «{supervisor}» / «{supervisor_pw}»",
        "Demo accounts: teller “{teller}” / password “{teller_pw}”; supervisor “{supervisor}” / “{supervisor_pw}”",
    ),
    "demo_person": ("Ví dụ: {name} ({record}), {category}", "Example: {name} ({record}), {category}"),
    "demo_line": (
        "  • {regime} kỳ {period}: {amount} — {explanation}", "  • {regime} for {period}: {amount} — {explanation}",
    ),
    "demo_line_blocked": (
        "  • {regime} kỳ {period}: {amount} — không chi: {reason}",
        "  • {regime} for {period}: {amount} — blocked: {reason}",
    ),
    "demo_total": ("  Tổng được nhận: {amount} ({words})", "  Total due: {amount} ({words})"),
    "print_done": (
        "Đã ghi {title} vào {path}: {pages} trang, mã xác thực {fingerprint}",
        "Wrote {title} to {path}: {pages} page(s), fingerprint {fingerprint}",
    ),
    "print_done_no_code": (
        "Đã ghi {title} vào {path}: {pages} trang (thông báo công khai, không có mã xác thực)",
        "Wrote {title} to {path}: {pages} page(s) (public notice, no fingerprint)",
    ),
    "verify_document_missing": (
        "Không tìm thấy tệp {path} (hãy ghi đường dẫn tệp PDF, hoặc mã xác thực 16 ký tự)",
        "File {path} not found (give a PDF file, or the 16-character fingerprint)",
    ),
    "enrol_done": (
        "Đã đăng ký với máy chủ {server}: máy phục vụ {count} xã/phường",
        "Enrolled with {server}: this device serves {count} commune(s)",
    ),
    "sync_done": (
        "Đồng bộ xong: gửi {uploaded} mới, {already} đã có, {flagged} bị gắn cờ; tải {downloaded} thay đổi; "
        "còn chờ {pending}",
        "Sync done: {uploaded} sent, {already} already there, {flagged} flagged; {downloaded} changes received; "
        "{pending} pending",
    ),
    "sync_failed": (
        "Đồng bộ chưa xong: {error} (còn chờ gửi {pending})", "Sync incomplete: {error} ({pending} pending)",
    ),
    "flag_line": ("  ⚠ {created} {record}: {message}", "  ⚠ {created} {record}: {message}"),
    "export_done": (
        "Đã ghi {count} bút toán chờ gửi vào {path} (mã hóa, có chữ ký của máy). Mang tệp đến tỉnh để nhập",
        "Wrote {count} pending entries to {path} (encrypted, signed by this device). Take it to the province to import",
    ),
    "export_nothing": ("Không có bút toán nào chờ gửi", "No entries are waiting to be sent"),
    "verify_acked_ok": (
        "Nhật ký nối tiếp điểm máy chủ đã xác nhận (#{seq})",
        "The journal extends the head the server acknowledged (#{seq})",
    ),
    "demo_server": (
        "Máy chủ tỉnh thử đang chạy tại {url} (dữ liệu: {folder}); bảng điều khiển tỉnh: {url}/console "
        "(cán bộ tỉnh «tinh» / «tinh123»). Thử báo tử một người:\n"
        "  ./dev server --data {folder} amend {record} --death {date} --representative \"Nguyễn Thị Hoa\"\n"
        "rồi bấm «Đồng bộ» trên màn hình. Danh sách tháng sau (lập từ trước, vẫn ghi người đó đang hưởng) cho thấy "
        "một mâu thuẫn:\n  ./dev server --data {folder} import-list {next_list}",
        "Demo province server running at {url} (data: {folder}); province console: {url}/console "
        "(officer “tinh” / “tinh123”). Try a death notice:\n"
        "  ./dev server --data {folder} amend {record} --death {date} --representative \"Nguyễn Thị Hoa\"\n"
        "then press “Đồng bộ” (Sync) in the window. Next month's list (made before, still listing that person as "
        "receiving) shows a contradiction:\n  ./dev server --data {folder} import-list {next_list}",
    ),
    "sessions_none": ("Máy này chưa mở phiên chi trả nào", "This device has opened no payout session"),
    "session_line": (
        "Phiên {short}  {day}  {point}  {state}\n    tạm ứng {advance} · đã chi {paid} cho {people} người · {receipts}",
        "Session {short}  {day}  {point}  {state}\n    advance {advance} · paid {paid} to {people} people · {receipts}",
    ),
    "session_open": ("đang mở", "open"),
    "session_closed_at": ("đã đóng lúc {time}", "closed at {time}"),
    "session_receipts": ("biên nhận số {first}–{last}", "receipts no. {first}–{last}"),
    "session_no_receipts": ("chưa có biên nhận", "no receipts yet"),
    "sessions_hint": (
        "In biên bản: payout-desk print minutes MÃ-PHIÊN --out bien-ban.pdf · các biên nhận của một phiên: "
        "payout-desk payments --session MÃ-PHIÊN",
        "Print the minutes: payout-desk print minutes SESSION --out minutes.pdf · a session's receipts: "
        "payout-desk payments --session SESSION",
    ),
    "payments_head": ("Phiên {short} · {day} · {point}", "Session {short} · {day} · {point}"),
    "payments_none": ("Phiên này chưa chi khoản nào", "This session has paid nothing yet"),
    "payment_line": ("  Số {number:>3}  {time}  {name} ({record})  {amount}{note}",
                     "  No. {number:>3}  {time}  {name} ({record})  {amount}{note}"),
    "payment_reversed": (" — đã hủy", " — reversed"),
    "payment_back_entry": (" — nhập bù", " — back-entered"),
    "payments_hint": (
        "In biên nhận: payout-desk print receipt SỐ --date {day} --out bien-nhan.pdf",
        "Print a receipt: payout-desk print receipt NUMBER --date {day} --out receipt.pdf",
    ),
    "print_ref_only": (
        "Chỉ biên nhận (số biên nhận) và biên bản (mã phiên) được gọi theo tên ở đây; {kind} dùng các tùy chọn "
        "--point, --date, --commune, --period",
        "Only a receipt (its number) and the minutes (a session) are named here; {kind} takes --point, --date, "
        "--commune, --period",
    ),
    "demo_no_server": (
        "Bản cài đặt này không có máy chủ tỉnh: dữ liệu thử được nạp trực tiếp, không đồng bộ",
        "This installation has no province server: demo data is loaded locally, without sync",
    ),
}

DEMO_TELLER = ("giaodich", "giaodich123")
DEMO_SUPERVISOR = ("giamsat", "giamsat123")


class Output:
    """Prints messages in the chosen language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def text(self, code: str, **params: object) -> str:
        if code in CLI_MESSAGES:
            vi, en = CLI_MESSAGES[code]
            return (en if self.lang == "en" else vi).format(**params)
        return render(code, self.lang, params)

    def say(self, code: str, **params: object) -> None:
        print(self.text(code, **params))

    def error(self, error: PayoutError) -> None:
        print(error.message(self.lang), file=sys.stderr)


def _data_dir(args: argparse.Namespace, demo: bool = False) -> Path:
    from app.store.store import default_data_dir

    return Path(args.data_dir) if args.data_dir else default_data_dir(demo=demo)


class Passwords:
    """Where passwords come from: asked without echo, or one line each from standard input (``--password-stdin``:
    the opener's first when the laptop needs one, then a new account's for ``user add``)."""

    def __init__(self, args: argparse.Namespace, out: Output) -> None:
        self.from_stdin = bool(getattr(args, "password_stdin", False))
        self.out = out

    def read(self, prompt: str) -> str:
        if self.from_stdin:
            return sys.stdin.readline().rstrip("\n")
        return getpass.getpass(prompt)


def _credentials(args: argparse.Namespace, out: Output, passwords: Passwords, holders: str = ""):  # -> Credentials
    """Who opens the laptop: ``--as`` (or asked), and their password."""
    from app.store.keyslots import Credentials

    username = (getattr(args, "as_user", None) or "").strip()
    if not username:
        if passwords.from_stdin:
            raise BadInputError("cli_username_required")
        if holders:
            print(out.text("sign_in_to_open", holders=holders), file=sys.stderr)
        print(out.text("username_prompt"), end="", file=sys.stderr, flush=True)
        username = sys.stdin.readline().strip()
        if not username:
            raise BadInputError("sign_in_required")
    return Credentials(username, passwords.read(out.text("opener_password_prompt", username=username)))


def _open_store(args: argparse.Namespace, demo: bool = False, *, out: Output | None = None,
                passwords: Passwords | None = None, create: bool | None = None):  # -> Store
    """Open the data folder: through the OS keyring's slot, else as a staff member who signed in here before.

    A folder that does not exist yet is created only where the laptop has an OS keyring (which will open it again);
    elsewhere its first key slot comes from ``user add`` (the first supervisor) or ``enrol --as``.
    """
    from app.store.keys import os_keyring
    from app.store.store import DB_NAME, Store

    out = out or Output(getattr(args, "lang", "vi"))
    passwords = passwords or Passwords(args, out)
    folder = _data_dir(args, demo)
    if not (folder / DB_NAME).exists():
        if not (create if create is not None else os_keyring() is not None):
            raise BadInputError("store_not_found", path=str(folder))
        return Store.open(folder, demo=demo)
    given = getattr(args, "as_user", None)
    try:
        store = Store.open(folder, create=False, demo=demo)
    except StoreError as error:
        if error.code != "store_sign_in_needed":
            raise
        credentials = _credentials(args, out, passwords, str(error.params.get("holders", "")))
        store = Store.open(folder, create=False, demo=demo, credentials=credentials)
    else:
        if not given:
            return store
        credentials = _credentials(args, out, passwords)
    try:
        store.staff.sign_in(credentials.username, credentials.password)  # the verifier, the count, their slot
    except BaseException:
        store.close()
        raise
    return store


# --- commands ---------------------------------------------------------------------------------------------------------


def cmd_demo_data(args: argparse.Namespace, out: Output) -> int:
    from app.lists.demo import DemoSpec, demo_summary, generate_demo_rows
    from app.lists.writer import write_list_csv, write_list_xlsx

    period = check_period(args.period) if args.period else VIETNAM.period_of(dt.datetime.now(dt.UTC))
    spec = DemoSpec(communes=args.communes, seed=args.seed, payout_period=period)
    rows = generate_demo_rows(spec)
    target = Path(args.out)
    if target.suffix.lower() == ".csv":
        write_list_csv(target, rows, payout_period=period)
    else:
        write_list_xlsx(target, rows, payout_period=period, demo=True)
    summary = demo_summary(rows)
    out.say(
        "demo_data_written",
        path=target,
        communes=summary["communes"],
        people=summary["people"],
        lines=summary["lines"],
        total=format_vnd(summary["cash_total"]),
    )
    return EXIT_OK


def _print_import(report, out: Output) -> None:  # report: ImportReport
    from app.lists.parsed import describe_warnings

    if not report.changed_anything and not report.kept_paid:
        out.say("import_nothing")
    out.say(
        "import_done",
        period=display_period(report.payout_period),
        source=report.source,
        people_added=report.people_added,
        people_updated=report.people_updated,
        added=report.lines_added,
        changed=report.lines_changed,
        removed=len(report.removed),
        unchanged=report.lines_unchanged,
    )
    for change in report.changes:
        out.say("import_change", key=change.key, field=change.field, old=change.old, new=change.new)
    for change in report.kept_paid:
        out.say("import_kept_paid", key=change.key, field=change.field, old=change.old, new=change.new)
    for key in report.removed:
        out.say("import_removed", key=key)
    for line in describe_warnings(report.warnings, report.warnings_total, out.lang):
        print(line)
    if report.reconciliation is not None:
        from app.lists.policy import load_policy

        policy = load_policy()
        regimes = {item.regime: info.name for item in report.reconciliation.not_payable
                   if (info := policy.regime(item.regime)) is not None}
        for line in report.reconciliation.describe(out.lang, regimes):
            print(line)
    if report.refused:
        out.say("import_refused_rows", count=len(report.refused))
        for refused in report.refused:
            print(f"  {refused.message(out.lang)}")
    if report.conflicts:
        out.say("import_identity_conflicts", count=len(report.conflicts))
        for conflict in report.conflicts:
            print(f"  {conflict.message(out.lang)}")
    if report.contradictions:
        from app.lists.policy import load_policy

        policy = load_policy()
        out.say("import_contradictions", count=len(report.contradictions))
        for contradiction in report.contradictions:
            out.say("contradiction_line", number=contradiction.contradiction_id,
                    text=describe(contradiction, out.lang, policy=policy))


def cmd_contradictions(args: argparse.Namespace, out: Output) -> int:
    with _open_store(args, out=out) as store:
        rows = store.amendments.contradictions(open_only=not args.all)
        clock = store.province_time
    if not rows:
        out.say("no_contradictions")
    from app.lists.policy import load_policy

    policy = load_policy()
    for item in rows:
        text = describe(item.contradiction, out.lang, clock, policy)
        if item.open:
            out.say("contradiction_line", number=item.contradiction.contradiction_id, text=text)
        else:
            state = f"{item.choice.value if item.choice else ''}: {item.decided_by} — {item.reason}"
            out.say("contradiction_state", number=item.contradiction.contradiction_id, text=text, state=state)
    return EXIT_OK


def cmd_decide(args: argparse.Namespace, out: Output) -> int:
    from app.domain.amendments import Choice

    if not args.as_user:
        raise BadInputError("decision_needs_supervisor")
    choice = Choice.KEEP if args.keep else Choice.ACCEPT
    with _open_store(args, out=out) as store:
        decided = store.amendments.decide(args.number, choice, args.reason, args.as_user.strip())
    name = decided.contradiction.full_name or decided.contradiction.record_code
    out.say("decided_keep" if choice is Choice.KEEP else "decided_accept", number=args.number, name=name)
    return EXIT_OK


def cmd_person_link(args: argparse.Namespace, out: Output) -> int:
    """``link`` / ``separate`` / ``unlink`` two records: a supervisor's decision, with a reason (audited)."""
    from app.domain.identity import LinkAction

    if not args.as_user:
        raise BadInputError("person_link_needs_supervisor")
    action = {"link": LinkAction.LINK, "separate": LinkAction.SEPARATE, "unlink": LinkAction.CLEAR}[args.command]
    with _open_store(args, out=out) as store:
        codes = store.persons.decide(args.first, args.second, action, supervisor=args.as_user.strip(),
                                     reason=args.reason)
    first, second = args.first.strip().upper(), args.second.strip().upper()
    if action is LinkAction.LINK:
        out.say("person_linked", codes=", ".join(codes))
    elif action is LinkAction.SEPARATE:
        out.say("person_separated", first=first, second=second)
    else:
        out.say("person_unlinked", first=first, second=second, codes=", ".join(codes))
    return EXIT_OK


def cmd_identity_conflicts(args: argparse.Namespace, out: Output) -> int:
    from app.lists.policy import load_policy

    with _open_store(args, out=out) as store:
        rows = store.persons.conflicts()
    if not rows:
        out.say("identity_conflicts_none")
    policy = load_policy()
    for row in rows:
        out.say("identity_conflict_row", id_number=row.id_number, first_name=row.first_name,
                first_code=row.first_code, first_agency=policy.agency_name(row.first_agency, out.lang),
                first_year=row.first_birth_year or "?", second_name=row.second_name, second_code=row.second_code,
                second_agency=policy.agency_name(row.second_agency, out.lang),
                second_year=row.second_birth_year or "?",
                differs=", ".join(render(f"differs_{name}", out.lang, {}) for name in row.differs))
    return EXIT_OK


def cmd_import_list(args: argparse.Namespace, out: Output) -> int:
    period = check_period(args.period) if args.period else None
    with _open_store(args) as store:
        report = store.lists.import_file(args.file, payout_period=period, agency=args.agency or None)
    _print_import(report, out)
    return EXIT_OK


def cmd_search(args: argparse.Namespace, out: Output) -> int:
    from app.lists.policy import load_policy

    with _open_store(args) as store:
        result = store.search.search(args.text, limit=args.limit)
    if args.json:
        print(
            json.dumps(
                {
                    "query": result.query,
                    "qr_id_number": result.qr.id_number if result.qr else None,
                    "hits": [
                        {
                            "record_code": hit.record_code,
                            "full_name": hit.full_name,
                            "birth_year": hit.birth_year,
                            "id_number": hit.id_number,
                            "village": hit.village,
                            "category": hit.category,
                            "status": hit.status.value,
                            "commune_code": hit.commune_code,
                            "point_id": hit.point_id,
                            "records": [{"record_code": code, "agency": agency} for code, agency in hit.records],
                        }
                        for hit in result.hits
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return EXIT_OK
    if not result.hits:
        if result.qr:
            out.say("search_qr_none", id_number=result.qr.id_number)
        else:
            out.say("search_none")
        return EXIT_OK
    policy = load_policy()
    for hit in result.hits:
        print(
            f"{hit.record_code:<22} {hit.full_name:<28} {hit.birth_year or '':<5} {hit.id_number or '':<13} "
            f"{hit.village or '':<20} {policy.category_name(hit.category, out.lang)}"
        )
        for code, agency in hit.records[1:]:  # the person's records on the other agencies' lists
            print(f"  + {code:<20} {policy.agency_name(agency, out.lang)}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, out: Output) -> int:
    with _open_store(args) as store:
        report = store.maintenance.verify()
        forked_at = store.sync.check_acked_head()
        acked = store.sync.acked_head()
    if report.ok and forked_at is None:
        out.say("verify_ok", entries=report.entries, seq=report.head_seq, hash=report.head_hash[:16])
        if acked is not None:
            out.say("verify_acked_ok", seq=acked[0])
        return EXIT_OK
    if report.ok:
        print(render("verify_acked_head", out.lang, {"seq": forked_at}))
        return EXIT_FAILURE
    out.say("verify_bad", count=len(report.problems))
    for problem in report.problems:
        out.say("verify_problem", seq=problem.seq if problem.seq is not None else "-",
                entry=problem.entry_id or "-", reason=problem.reason)
    return EXIT_FAILURE


def cmd_backup(args: argparse.Namespace, out: Output) -> int:
    with _open_store(args) as store:
        info = store.maintenance.backup(args.file)
    out.say("backup_done", path=info.path, entries=info.entries, seq=info.head_seq)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: Output) -> int:
    with _open_store(args) as store:
        report = store.maintenance.restore(args.file, force=args.force)
    out.say("restore_done", path=report.source, entries=report.entries, safety=report.safety_copy or "-")
    return EXIT_OK


def cmd_enrol(args: argparse.Namespace, out: Output) -> int:
    from app.store.keys import os_keyring
    from app.store.store import DB_NAME
    from app.sync.engine import SyncEngine
    from app.sync.enrolment import enrol

    passwords = Passwords(args, out)
    fresh = not (_data_dir(args) / DB_NAME).exists()
    opener = None
    if fresh and os_keyring() is None:
        # Nothing would open the new folder again: the staff member named here opens it, once their account has
        # arrived with the first sync. Asked before enrolling, so a missing name costs no enrolment code.
        if not getattr(args, "as_user", None):
            raise BadInputError("cli_enrol_needs_user")
        opener = _credentials(args, out, passwords)
    with _open_store(args, out=out, passwords=passwords, create=True) as store:
        communes = enrol(store, args.server, args.code, label=args.label or "", ca_bundle=args.ca_bundle)
        out.say("enrol_done", server=args.server, count=len(communes))
        report = SyncEngine(store).run()
        code = _say_sync(report, out)
        if opener is not None:
            _first_sign_in(store, opener, passwords, out)
        return code


def _first_sign_in(store, opener, passwords: Passwords, out: Output) -> None:  # store: Store, opener: Credentials
    """The first key slot of a freshly enrolled laptop without an OS keyring: the named staff member signs in (asked
    again, up to three times, when typing); if nobody does, the folder cannot be opened again, and the message says
    how to start over."""
    from app.store.keyslots import Credentials

    for attempt in range(3):
        try:
            store.staff.sign_in(opener.username, opener.password)
            return
        except BadInputError as error:
            if passwords.from_stdin or attempt == 2 or error.code == "account_locked":
                raise BadInputError("store_setup_unfinished", reason=error.message(out.lang),
                                    path=str(store.folder)) from None
            out.error(error)
            opener = Credentials(opener.username,
                                 passwords.read(out.text("opener_password_prompt", username=opener.username)))


def _flag_day(clock: ProvinceTime, created_at: str) -> str:
    """A flag's time (ISO 8601, UTC, from the server) as the province's date; the text itself if it does not parse."""
    try:
        moment = dt.datetime.fromisoformat(created_at)
    except ValueError:
        return created_at
    return clock.format_date(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))


def cmd_sync(args: argparse.Namespace, out: Output) -> int:
    from app.sync.engine import SyncEngine

    with _open_store(args) as store:
        report = SyncEngine(store).run()
        code = _say_sync(report, out)
        if args.flags:
            for flag in store.sync.flags():
                out.say("flag_line", created=_flag_day(store.province_time, flag.created_at),
                        record=flag.record_code or "-",
                        message=flag.message(out.lang))
        return code


def _say_sync(report, out: Output) -> int:  # report: SyncReport
    if report.ok:
        out.say("sync_done", uploaded=report.uploaded, already=report.already, flagged=report.flagged,
                downloaded=report.downloaded, pending=report.pending)
        return EXIT_OK
    out.say("sync_failed", error=report.error_en if out.lang == "en" else report.error, pending=report.pending)
    return EXIT_FAILURE


def cmd_export_journal(args: argparse.Namespace, out: Output) -> int:
    from app.sync.offline import export_pending

    with _open_store(args) as store:
        count = export_pending(store, Path(args.file))
    if count == 0:
        out.say("export_nothing")
    else:
        out.say("export_done", count=count, path=args.file)
    return EXIT_OK


def cmd_user_add(args: argparse.Namespace, out: Output) -> int:
    """A local account (a laptop without a province server). On a new data folder it is the first account, and its
    password is the first that opens the laptop."""
    passwords = Passwords(args, out)
    with _open_store(args, out=out, passwords=passwords, create=True) as store:
        password = passwords.read(out.text("password_prompt", username=args.username))
        if not passwords.from_stdin and passwords.read(out.text("password_again")) != password:
            raise BadInputError("password_mismatch")
        staff = store.staff.add(args.username, args.full_name or args.username, Role(args.role), password)
    out.say("user_added", username=staff.username, role=staff.role.value)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, out: Output) -> int:
    """The demo: an embedded province server (its own process, SQLite, loopback) with demo data; this device enrols
    with it, downloads the list and the staff, and the window opens signed-in-ready. Without a server in this
    installation, the demo list is loaded locally instead."""
    from app.store.store import DB_NAME
    from app.sync import embedded

    folder = _data_dir(args, demo=True)
    if args.reset and folder.exists():
        import shutil

        shutil.rmtree(folder)
    fresh = not (folder / DB_NAME).exists()
    server = None
    if embedded.available():
        if fresh:
            out.say("demo_creating", path=folder)
        server = _start_demo_server(folder, args, out)
    elif fresh:
        out.say("demo_no_server")
        out.say("demo_creating", path=folder)
        _create_demo(folder, args)
    try:
        print(f"*** {DEMO_BANNER} ***")
        out.say("demo_accounts", teller=DEMO_TELLER[0], teller_pw=DEMO_TELLER[1],
                supervisor=DEMO_SUPERVISOR[0], supervisor_pw=DEMO_SUPERVISOR[1])
        if args.summary:
            with _open_demo(folder) as store:
                _print_demo_summary(store, out)
            return EXIT_OK
        from app.ui.app import run

        return run(folder, demo=True, lang=args.gui_lang, self_test=args.self_test,
                   self_test_as=_demo_teller() if args.self_test else None)
    finally:
        if server is not None:
            server.stop()


DEMO_SERVER_PORT = 8765


def _demo_teller():  # -> Credentials
    from app.store.keyslots import Credentials

    return Credentials(*DEMO_TELLER)


def _open_demo(folder: Path):  # -> Store
    """The demo folder, opened as the demo teller (whose password the demo prints) where no OS keyring opens it."""
    from app.store.store import Store

    return Store.open(folder, demo=True, credentials=_demo_teller())


def _demo_key_slots(store) -> None:  # store: Store
    """Both demo accounts get their key slot, so either opens the demo folder (a laptop without an OS keyring)."""
    for username, password in (DEMO_TELLER, DEMO_SUPERVISOR):
        store.staff.sign_in(username, password)


def _start_demo_server(folder: Path, args: argparse.Namespace, out: Output):  # -> EmbeddedServer
    """Start the demo province server, enrol this demo folder with it (first time), and sync once."""
    from app.sync.embedded import EmbeddedServer
    from app.sync.engine import SyncEngine
    from app.sync.enrolment import enrol

    period = check_period(args.period) if args.period else None
    server_dir = folder / "province-server"
    server = EmbeddedServer(server_dir, DEMO_SERVER_PORT, communes=args.communes, period=period)
    info = server.start()
    try:
        with _open_demo(folder) as store:
            enrolment = store.sync.enrolment()
            if enrolment is None:
                enrol(store, server.url, info["enrol_code"], label="demo")
            elif enrolment.server_url != server.url:  # the demo port was taken: the demo server moved
                store.sync.move_server(server.url)
            SyncEngine(store, max_attempts=2).run()
            _demo_key_slots(store)
            example = _demo_death_example(store)
        out.say("demo_server", url=server.url, folder=server_dir, record=example,
                date=store.province_time.format_date(store.clock()), next_list=info.get("next_list", ""))
    except BaseException:
        server.stop()
        raise
    return server


def _demo_death_example(store) -> str:  # store: Store
    from app.store.overview import active_example

    return active_example(store.engine, "Nguyễn Văn Đức") or "-"


def cmd_gui(args: argparse.Namespace, out: Output) -> int:
    """``payout-desk`` with no command: the desktop client on the user's data folder.

    ``--self-test --as USER`` (with ``--password-stdin`` or a prompt) checks a laptop whose data the OS keyring does
    not open, as the staff member who can; without ``--as`` such a self-test ends with the message saying who can."""
    from app.ui.app import run

    self_test = getattr(args, "self_test", False)
    opener = None
    if self_test and getattr(args, "as_user", None):
        opener = _credentials(args, out, Passwords(args, out))
    return run(_data_dir(args), lang=args.gui_lang, self_test=self_test, self_test_as=opener)


def _create_demo(folder: Path, args: argparse.Namespace) -> None:
    """The demo's two lists — the Department's and BHXH's, with people on both — written and imported one list per
    agency, as a desk without a province server imports them."""
    from app.lists.demo import DemoSpec, write_demo_lists
    from app.store.files import make_private
    from app.store.store import Store

    period = check_period(args.period) if args.period else VIETNAM.period_of(dt.datetime.now(dt.UTC))
    folder.mkdir(parents=True, exist_ok=True)
    lists = write_demo_lists(folder, DemoSpec(communes=args.communes, seed=args.seed, payout_period=period),
                             department_xlsx=True)
    for item in lists:
        make_private(item.path)
    with Store.open(folder, demo=True) as store:
        for item in lists:
            store.lists.import_file(item.path, payout_period=item.payout_period, agency=item.agency)
        store.staff.add(DEMO_TELLER[0], "Nguyễn Thị Giao Dịch", Role.TELLER, DEMO_TELLER[1])  # their key slots
        store.staff.add(DEMO_SUPERVISOR[0], "Trần Văn Giám Sát", Role.SUPERVISOR, DEMO_SUPERVISOR[1])


def _print_demo_summary(store, out: Output) -> None:  # store: Store
    from app.lists.policy import load_policy
    from app.store.overview import contents, first_named

    held = contents(store.engine)
    period = held.period or "-"
    example = first_named(store.engine, "Nguyễn Văn Đức")
    out.say("demo_summary", period=display_period(period) if period != "-" else "-",
            communes=format_number(held.communes), points=format_number(held.points),
            people=format_number(held.people), lines=format_number(held.cash_lines),
            total=format_vnd(held.cash_total))
    if not example:
        return
    policy = load_policy()
    view = store.payouts.person(example, period=period)
    person = view.beneficiary
    out.say("demo_person", name=person.full_name, record=person.record_code,
            category=policy.category_name(person.category, out.lang))
    for state in view.lines:
        regime = policy.regime(state.line.regime)
        name = (regime.name_en if out.lang == "en" else regime.name) if regime else state.line.regime
        amount = format_vnd(state.line.amount)
        shown = display_period(state.line.period)
        if state.block is None:
            explanation = regime.explain(person.category, out.lang) if regime else ""
            out.say("demo_line", regime=name, period=shown, amount=amount, explanation=explanation)
        else:
            out.say("demo_line_blocked", regime=name, period=shown, amount=amount,
                    reason=state.block.as_error().message(out.lang))
    out.say("demo_total", amount=format_vnd(view.payable_total), words=amount_in_words(view.payable_total))


# --- what can be printed ----------------------------------------------------------------------------------------------

SHORT_ID = 8
"""Characters of a session id the lists show (``print minutes`` takes them, or six and more)."""


def cmd_sessions(args: argparse.Namespace, out: Output) -> int:
    """The latest payout sessions of this device, with what each can print: the newest day first, points in
    Vietnamese order; times in the province's zone."""
    with _open_store(args) as store:
        summaries = store.reports.recent_sessions(args.limit)
        clock = store.province_time
    if not summaries:
        out.say("sessions_none")
        return EXIT_OK
    for item in summaries:
        session = item.session
        state = out.text("session_open") if item.closed_at is None else out.text(
            "session_closed_at", time=clock.format_datetime(item.closed_at))
        receipts = out.text("session_receipts", first=item.receipts[0], last=item.receipts[1]) \
            if item.receipts else out.text("session_no_receipts")
        out.say("session_line", short=session.session_id[:SHORT_ID], day=session.day.strftime("%d/%m/%Y"),
                point=item.point_name, state=state, advance=format_vnd(session.cash_advance),
                paid=format_vnd(item.paid_total), people=item.people, receipts=receipts)
    out.say("sessions_hint")
    return EXIT_OK


def cmd_payments(args: argparse.Namespace, out: Output) -> int:
    """A session's payments by receipt number (without ``--session``: the session open now, else the latest), in the
    province's time."""
    with _open_store(args) as store:
        latest = store.reports.latest_session()
        session_id = store.reports.find_session(args.session) if args.session else latest
        if session_id is None:
            out.say("sessions_none")
            return EXIT_OK
        session = store.payouts.session(session_id)
        point = next((item.point_name for item in store.reports.sessions(point_id=session.point_id, day=session.day)
                      if item.session.session_id == session_id), session.point_id)
        lines = store.reports.receipts(session_id)
        clock = store.province_time
    out.say("payments_head", short=session_id[:SHORT_ID], day=session.day.strftime("%d/%m/%Y"), point=point)
    if not lines:
        out.say("payments_none")
        return EXIT_OK
    for line in lines:
        note = (out.text("payment_reversed") if line.reversed else "") + \
            (out.text("payment_back_entry") if line.back_entry else "")
        same_day = clock.day_of(line.recorded_at) == line.day
        out.say("payment_line", number=line.number, name=line.full_name, record=line.record_code,
                time=clock.format_time(line.recorded_at) if same_day else clock.format_datetime(line.recorded_at),
                amount=format_vnd(line.total), note=note)
    out.say("payments_hint", day=session.day.strftime("%d/%m/%Y"))
    return EXIT_OK


# --- documents --------------------------------------------------------------------------------------------------------

_PRINT_NEEDS = {
    "sheet-blank": ("point",),
    "sheet-signed": ("point",),
    "receipt": ("payment",),
    "minutes": ("session",),
    "notice": ("point",),
    "monthly": ("commune", "period"),
}


def _parse_day(value: str) -> dt.date:
    from app.documents.errors import DocumentInputError

    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise DocumentInputError("doc_bad_date", value=value)


def cmd_print(args: argparse.Namespace, out: Output) -> int:
    """Make one document from the data folder and write it as PDF (the same call the desktop buttons make).

    The print is logged (``app.store.printing``): printing the same document again marks it "BẢN IN LẠI".
    """
    from app.documents import DocumentKind, DocumentRequest, format_fingerprint
    from app.documents.errors import DocumentInputError
    from app.store.printing import print_document

    if args.ref:  # print receipt 7 · print minutes 3f2a9c01
        if args.kind not in ("receipt", "minutes"):
            print(out.text("print_ref_only", kind=args.kind), file=sys.stderr)
            return EXIT_BAD_INPUT
        setattr(args, "payment" if args.kind == "receipt" else "session", args.ref)
    for option in _PRINT_NEEDS[args.kind]:
        if not getattr(args, option):
            raise DocumentInputError("doc_option_required", kind=args.kind, option=f"--{option}")
    day = _parse_day(args.date) if args.date else None
    period = check_period(args.period) if args.period else None
    with _open_store(args) as store:
        # the receipt by its number (of --date, else of the latest payout day) or id; the minutes by a session's id
        payment = store.reports.find_payment(args.payment, day) if args.payment else None
        session = store.reports.find_session(args.session) if args.session else None
        request = DocumentRequest(
            DocumentKind(args.kind), point_id=args.point, day=day, period=period, session_id=session,
            payment_id=payment, commune_code=args.commune, contact=args.contact or "",
            show_regimes=args.show_regimes, show_amounts=args.show_amounts,
            reprint_at=store.clock() if args.reprint else None,
        )
        target = Path(args.out)
        document = print_document(store, request, args.staff, "cli", output=lambda made: target.write_bytes(made.pdf))
    if document.fingerprint:
        out.say("print_done", title=document.title, path=target, pages=document.pages,
                fingerprint=format_fingerprint(document.fingerprint))
    else:
        out.say("print_done_no_code", title=document.title, path=target, pages=document.pages)
    return EXIT_OK


def cmd_verify_document(args: argparse.Namespace, out: Output) -> int:
    """Say whether a printed document (PDF, QR text or fingerprint) matches the current journal: 0 yes, 1 no."""
    from app.documents import verify_pdf, verify_text
    from app.documents.fingerprint import normalise_fingerprint, parse_qr_text

    subject = args.document
    path = Path(subject)
    is_code = normalise_fingerprint(subject) is not None or parse_qr_text(subject) is not None
    if not is_code and not path.is_file():
        print(out.text("verify_document_missing", path=subject), file=sys.stderr)
        return EXIT_BAD_INPUT
    with _open_store(args) as store:
        if not is_code and path.is_file():
            result = verify_pdf(store.reports, path.read_bytes())
        else:
            result = verify_text(store.reports, subject)
    if result.code == "verify_bad_text":
        print(result.message(out.lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    print(result.message(out.lang))
    return EXIT_OK if result.ok else EXIT_FAILURE


# --- parser -----------------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu / data folder")
    common.add_argument("--lang", choices=("vi", "en"), default=argparse.SUPPRESS, help="ngôn ngữ / language")
    common.add_argument("--as", dest="as_user", metavar="USERNAME", default=argparse.SUPPRESS,
                        help="người mở máy (đã đăng nhập trên máy này) / who opens this laptop (signed in here before)")
    common.add_argument("--password-stdin", action="store_true", default=argparse.SUPPRESS,
                        help="đọc mật khẩu từ đầu vào chuẩn, mỗi dòng một mật khẩu: người mở máy trước, rồi tài khoản "
                             "mới (user add) / read passwords from standard input, one per line: the opener's first, "
                             "then the new account's (user add)")

    parser = argparse.ArgumentParser(prog="payout-desk", description="Payout Desk — chi trả trợ cấp người có công",
                                     parents=[common])
    parser.add_argument("--self-test", action="store_true", help="mở cửa sổ, tự kiểm tra rồi thoát / self-test")
    parser.set_defaults(handler=cmd_gui)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace, Output], int], help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = add("demo-data", cmd_demo_data, "tạo danh sách chi trả thử / write a demo payout list")
    sub.add_argument("--communes", type=int, default=174)
    sub.add_argument("--seed", type=int, default=1)
    sub.add_argument("--period", help="YYYY-MM (mặc định: tháng này / default: this month)")
    sub.add_argument("--out", required=True, help="FILE.xlsx hoặc FILE.csv")

    sub = add("import-list", cmd_import_list, "nhập danh sách chi trả / import a payout list (.xlsx, .csv)")
    sub.add_argument("file")
    sub.add_argument("--period", help="kỳ chi trả YYYY-MM nếu tệp không ghi / payout period if the file does not say")
    sub.add_argument("--agency", help="cơ quan của danh sách (so_noi_vu, bhxh, ubnd_xa; mặc định: nhận theo mẫu) / "
                                      "whose list it is (default: detected from its layout)")

    sub = add("contradictions", cmd_contradictions,
              "mâu thuẫn giữa danh sách và giá trị đang giữ / contradictions between lists and standing values")
    sub.add_argument("--all", action="store_true", help="cả những mâu thuẫn đã quyết định / also decided ones")

    sub = add("decide", cmd_decide, "giám sát viên quyết định một mâu thuẫn / a supervisor decides a contradiction")
    sub.add_argument("number", type=int)
    choice = sub.add_mutually_exclusive_group(required=True)
    choice.add_argument("--keep", action="store_true", help="giữ giá trị đang giữ / keep what stands")
    choice.add_argument("--accept", action="store_true",
                        help="theo danh sách, cần --reason / accept the list's value, needs --reason")
    sub.add_argument("--reason", default="")

    for name, help_text in (
            ("link", "giám sát viên ghép hai hồ sơ thành một người / a supervisor links two records into one person"),
            ("separate", "giám sát viên tách hai hồ sơ (hai người khác nhau) / a supervisor separates two records"),
            ("unlink", "hủy quyết định ghép hoặc tách hai hồ sơ / undo a decision about two records")):
        sub = add(name, cmd_person_link, help_text)
        sub.add_argument("first", help="mã hồ sơ / record code")
        sub.add_argument("second", help="mã hồ sơ / record code")
        sub.add_argument("--reason", required=True, help="lý do / reason")

    add("identity-conflicts", cmd_identity_conflicts,
        "trùng số định danh nhưng khác họ tên hoặc năm sinh / one personal number, another name or birth year")

    sub = add("search", cmd_search, "tìm đối tượng / find a person")
    sub.add_argument("text")
    sub.add_argument("--json", action="store_true")
    sub.add_argument("--limit", type=int, default=50)

    add("verify", cmd_verify, "kiểm tra sổ nhật ký / verify the journal")

    sub = add("backup", cmd_backup, "sao lưu mã hóa / encrypted backup")
    sub.add_argument("file")

    sub = add("restore", cmd_restore, "khôi phục từ bản sao lưu / restore from a backup")
    sub.add_argument("file")
    sub.add_argument("--force", action="store_true")

    sub = add("demo", cmd_demo, "chạy với dữ liệu thử / run on demo data")
    sub.add_argument("--communes", type=int, default=174)
    sub.add_argument("--seed", type=int, default=1)
    sub.add_argument("--period", help="YYYY-MM")
    sub.add_argument("--reset", action="store_true", help="tạo lại dữ liệu thử / recreate the demo data")
    sub.add_argument("--summary", action="store_true", help="chỉ in tóm tắt, không mở cửa sổ / print a summary only")
    sub.add_argument("--self-test", action="store_true", help="mở cửa sổ, tự kiểm tra rồi thoát / self-test and exit")

    sub = add("sessions", cmd_sessions,
              "các phiên chi trả gần đây và tài liệu in được / recent payout sessions and what they can print")
    sub.add_argument("--limit", type=int, default=30, help="số phiên tối đa / at most this many sessions")

    sub = add("payments", cmd_payments, "các biên nhận của một phiên / a session's receipts")
    sub.add_argument("--session", help="mã phiên (mặc định: phiên gần nhất) / session id (default: the latest)")

    sub = add("print", cmd_print, "in tài liệu ra tệp PDF / print a document to a PDF file")
    sub.add_argument("kind", choices=tuple(_PRINT_NEEDS), metavar="KIND",
                     help="sheet-blank | sheet-signed | receipt | minutes | notice | monthly")
    sub.add_argument("ref", nargs="?", help="receipt: số biên nhận / receipt number; minutes: mã phiên / session")
    sub.add_argument("--point", help="mã điểm chi trả / payout point id")
    sub.add_argument("--date", help="ngày chi trả YYYY-MM-DD hoặc dd/mm/yyyy (cũng là ngày của số biên nhận) / "
                                    "payout day (also the day of a receipt number)")
    sub.add_argument("--session", help="mã phiên chi trả (đủ hoặc từ 6 ký tự đầu) / session id or its first 6+ "
                                       "characters (minutes)")
    sub.add_argument("--payment", help="số biên nhận, hoặc mã khoản chi / receipt number, or payment id (receipt)")
    sub.add_argument("--commune", help="mã xã/phường / commune code (monthly)")
    sub.add_argument("--period", help="kỳ YYYY-MM / period")
    sub.add_argument("--reprint", action="store_true",
                     help="đánh dấu BẢN IN LẠI (tự động nếu đã in) / mark as a reprint (automatic if printed before)")
    sub.add_argument("--staff", default="cli", help="người in, ghi vào nhật ký in / who prints, for the print log")
    sub.add_argument("--contact", help="thông tin liên hệ trên thông báo / contact line of the notice")
    sub.add_argument("--show-regimes", action="store_true", help="thông báo: ghi chế độ / notice: show regimes")
    sub.add_argument("--show-amounts", action="store_true", help="thông báo: ghi số tiền / notice: show amounts")
    sub.add_argument("--out", required=True, help="FILE.pdf")

    sub = add("verify-document", cmd_verify_document,
              "đối chiếu tài liệu đã in với sổ nhật ký / check a printed document against the journal")
    sub.add_argument("document", help="FILE.pdf, mã xác thực / fingerprint, hoặc nội dung mã QR / or QR text")

    sub = add("enrol", cmd_enrol, "đăng ký máy với máy chủ tỉnh / enrol this device with the province server")
    sub.add_argument("server", help="địa chỉ máy chủ / server URL (https://…)")
    sub.add_argument("code", help="mã đăng ký dùng một lần / one-time enrolment code")
    sub.add_argument("--label", help="tên máy / device name")
    sub.add_argument("--ca-bundle", help="tệp chứng chỉ CA của tỉnh / the province CA bundle (PEM)")

    sub = add("sync", cmd_sync, "đồng bộ với máy chủ tỉnh / sync with the province server")
    sub.add_argument("--flags", action="store_true", help="liệt kê các cờ / list the flags")

    sub = add("export-journal", cmd_export_journal,
              "ghi nhật ký chờ gửi ra tệp (USB) / write the pending journal to a file (USB stick)")
    sub.add_argument("file")

    user = commands.add_parser("user", parents=[common], help="tài khoản / accounts")
    user_commands = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    sub = user_commands.add_parser("add", parents=[common], help="tạo tài khoản / add an account")
    sub.set_defaults(handler=cmd_user_add)
    sub.add_argument("username")
    sub.add_argument("--role", choices=[role.value for role in Role], required=True)
    sub.add_argument("--full-name")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse already printed the usage error (or the help)
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    args.data_dir = getattr(args, "data_dir", None)
    args.as_user = getattr(args, "as_user", None)
    args.password_stdin = getattr(args, "password_stdin", False)
    chosen_lang = getattr(args, "lang", None) or os.environ.get("PAYOUT_DESK_LANG")
    args.gui_lang = chosen_lang  # None: the desktop uses the language saved in its settings
    args.lang = chosen_lang or "vi"
    out = Output(args.lang)
    handler = args.handler
    try:
        return handler(args, out)
    except BadInputError as error:
        out.error(error)
        return EXIT_BAD_INPUT
    except PayoutError as error:
        out.error(error)
        return EXIT_FAILURE
    except ValueError as error:  # e.g. a malformed --period
        print(str(error), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except Exception as error:  # one line, never a traceback, unless debugging
        if os.environ.get("PAYOUT_DESK_DEBUG"):
            raise
        print(render("unexpected", args.lang, {"detail": f"{type(error).__name__}: {error}"}), file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
