"""``payout-server``: the province server's command line.

    payout-server init [--key-out FILE] [--paper FILE.pdf]   the database and the province recovery key: its
                  private half only in FILE, encrypted under a passphrase you choose (move FILE to offline media)
    payout-server protect-recovery-key --key-out FILE   encrypt and remove a plain recovery.key an older version left
    payout-server paper-key --key FILE --out FILE.pdf   print the recovery key on paper (code + QR) for the safe
    payout-server serve [--host H --port P] [--trusted-proxy ADDR ...]   serve the API and console (uvicorn)
    payout-server import-list FILE [--period YYYY-MM]
    payout-server add-user USER --name N --role teller|supervisor|officer|admin --commune C ... [--password-stdin]
    payout-server enrol-code --commune C ...   print a one-time enrolment code
    payout-server amend RECORD --death DATE [--representative NAME --representative-id ID] | --suspend REASON |
                  --resume | --amount LINE_KEY AMOUNT | --new-line PERIOD PROGRAMME REGIME KIND AMOUNT
                  [--reason R] [--by USER]   each kept as a fact that later lists cannot silently undo
    payout-server contradictions [--all]       what later lists contradicted, by person, in words
    payout-server decide N --keep | --accept --reason R   an officer's choice about contradiction N
    payout-server revoke-device DEVICE [--reason R]
    payout-server assign-device DEVICE --commune C ...   reassign a device's communes
    payout-server import-batch FILE --key KEYFILE   apply an offline journal file from a USB stick
    payout-server recover-backup BACKUP --out FILE --key KEYFILE   open a device backup with the recovery key
    payout-server report --period YYYY-MM [--commune C] --out FILE.pdf|FILE.xlsx   the monthly settlement report
    payout-server demo [--port P]              a demo province: demo list, users, an enrolment code, then serve

Settings: ``--data DIR`` (or PAYOUT_SERVER_DATA) and ``--db URL`` (or PAYOUT_SERVER_DB; default a SQLite file in DIR).
Exit status: 0 done, 2 bad input, 1 unexpected error; errors are one line.

Passwords and passphrases are never taken as arguments (shell history, the process list): they are asked for, or read
from standard input with ``--password-stdin`` / ``--passphrase-stdin`` (one line) for scripts.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import json
import os
import secrets
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from app.domain.amendments import STATUS_WORDS, Choice, FactSource, describe
from app.domain.errors import PayoutError
from app.domain.money import format_number
from app.domain.period import display_period
from app.wire import constants
from app.wire.errors import ProtocolError
from app.wire.offline import unpack_offline_batch
from server import accounts, db, facts, province, recovery_key
from server.settings import ServerSettings, parse_proxies
from server.setup import NewKey, init_server, legacy_plain_keys, open_engine, protect_legacy_keys
from server.web import audit


class CliError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = ServerSettings(data_dir=Path(args.data) if args.data else ServerSettings().data_dir,
                              database_url=args.db or "")
    try:
        return int(args.run(args, settings) or 0)
    except (CliError, accounts.AccountError, province.AmendError, ProtocolError, ValueError, OSError) as error:
        print(f"payout-server: {getattr(error, 'message', None) or error}", file=sys.stderr)
        return 2
    except PayoutError as error:
        print(f"payout-server: {error.message('vi')}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="payout-server", description="Máy chủ tỉnh Payout Desk / province server",
                                     allow_abbrev=False)
    parser.add_argument("--data", help="data folder (SQLite database; never the private recovery key)")
    parser.add_argument("--db", help="database URL, e.g. postgresql+psycopg://user@host/db")
    sub = parser.add_subparsers(required=True)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, allow_abbrev=False)

    p = command("init", "create the database and the province recovery key")
    p.add_argument("--rotate", action="store_true", help="make a new recovery key pair (devices enrolled later use it)")
    _new_key_arguments(p)
    p.set_defaults(run=cmd_init)

    p = command("protect-recovery-key", "encrypt the plain recovery key an older version left in the data folder")
    _new_key_arguments(p)
    p.set_defaults(run=cmd_protect_key)

    p = command("paper-key", "print the recovery key on paper (A4 PDF: code and QR) for the safe")
    _key_arguments(p)
    p.add_argument("--out", required=True, help="FILE.pdf")
    p.set_defaults(run=cmd_paper_key)

    p = command("serve", "serve the API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8700)
    p.add_argument("--ready-file", help="write the URL here once serving")
    p.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDR",
                   help="a reverse proxy (address or network) whose X-Forwarded-For/-Proto are believed (repeat); "
                        "default: PAYOUT_SERVER_TRUSTED_PROXIES, else none")
    p.set_defaults(run=cmd_serve)

    p = command("import-list", "import a payout list (.xlsx/.csv)")
    p.add_argument("file")
    p.add_argument("--period")
    p.add_argument("--agency", default="auto",
                   help="whose list it is: so_noi_vu, bhxh, ubnd_xa … (regimes.json); default: what the reader "
                        "detects. The list replaces only that agency's lines of its communes and period")
    p.set_defaults(run=cmd_import_list)

    p = command("add-user", "add or update a staff member")
    p.add_argument("username")
    p.add_argument("--name", default="")
    p.add_argument("--role", required=True, choices=accounts.ROLES)
    p.add_argument("--commune", action="append", default=[], help="commune code (repeat), or * for all")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input (one line)")
    p.add_argument("--password", help=argparse.SUPPRESS)  # refused with a sentence: never on the command line
    p.add_argument("--agency", help="an officer of one agency only (so_noi_vu, bhxh, ubnd_xa …): sees that "
                                    "agency's lines, lists, flags, progress and settlement (default: every agency)")
    p.set_defaults(run=cmd_add_user)

    p = command("enrol-code", "make a one-time enrolment code for a device")
    p.add_argument("--commune", action="append", required=True)
    p.add_argument("--label", default="")
    p.set_defaults(run=cmd_enrol_code)

    p = command("amend", "record a death, a suspension, an amount change or a new line")
    p.add_argument("record_code")
    p.add_argument("--death", help="date of death dd/mm/yyyy or yyyy-mm-dd")
    p.add_argument("--representative")
    p.add_argument("--representative-id")
    p.add_argument("--suspend", metavar="REASON")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--amount", nargs=2, metavar=("LINE_KEY", "AMOUNT"))
    p.add_argument("--new-line", nargs=5, metavar=("PERIOD", "PROGRAMME", "REGIME", "KIND", "AMOUNT"))
    p.add_argument("--reason", default="", help="why (kept with the amendment)")
    p.add_argument("--by", help="who records it (default: your login name)")
    p.set_defaults(run=cmd_amend)

    p = command("contradictions", "list the contradictions between lists and standing amendments, in words")
    p.add_argument("--all", action="store_true", help="also those already decided")
    p.add_argument("--lang", choices=("vi", "en"), default="vi")
    p.set_defaults(run=cmd_contradictions)

    p = command("decide", "decide a contradiction: keep the amendment, or accept the list's value (with a reason)")
    p.add_argument("number", type=int)
    choice = p.add_mutually_exclusive_group(required=True)
    choice.add_argument("--keep", action="store_true", help="the amendment stands; the list's value is set aside")
    choice.add_argument("--accept", action="store_true", help="the list is right: record its value as an amendment")
    p.add_argument("--reason", default="")
    p.add_argument("--by", help="who decides (default: your login name)")
    p.set_defaults(run=cmd_decide)

    p = command("revoke-device", "revoke a device (lost laptop)")
    p.add_argument("device_id")
    p.add_argument("--reason", default="")
    p.set_defaults(run=cmd_revoke)

    p = command("assign-device", "reassign a device's communes (it downloads the new ones)")
    p.add_argument("device_id")
    p.add_argument("--commune", action="append", required=True)
    p.set_defaults(run=cmd_assign)

    p = command("import-batch", "apply an offline journal file")
    p.add_argument("file")
    _key_arguments(p)
    p.set_defaults(run=cmd_import_batch)

    p = command("recover-backup", "decrypt a device backup with the province recovery key")
    p.add_argument("backup")
    p.add_argument("--out", required=True, help="where to write the decrypted SQLite copy")
    p.add_argument("--device", help="device id (default: read from the backup's .sealed-key file)")
    _key_arguments(p)
    p.set_defaults(run=cmd_recover)

    p = command("report", "the monthly settlement report (PDF or XLSX, by the file's suffix)")
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--commune", help="one commune's code (default: the whole province, a row per commune)")
    p.add_argument("--out", required=True, help="FILE.pdf or FILE.xlsx")
    p.add_argument("--agency", help="one agency's lines only (so_noi_vu, bhxh, ubnd_xa …; default: every agency, "
                                    "with a table per agency)")
    p.set_defaults(run=cmd_report)

    p = command("demo", "a demo province with demo data, users and an enrolment code")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8700)
    p.add_argument("--ready-file", help="write a JSON line (url, enrol code, users) here once serving")
    p.add_argument("--no-serve", action="store_true", help="set up the demo province and exit")
    p.add_argument("--exit-with-stdin", action="store_true",
                   help="stop when standard input closes (the desktop that started it has exited, however it ended)")
    p.add_argument("--communes", type=int, default=174)
    p.add_argument("--period", help="YYYY-MM (default: this month)")
    p.set_defaults(run=cmd_demo)
    return parser


def _new_key_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--key-out", metavar="FILE",
                   help="where to write the encrypted private recovery key (default: recovery-key-<id>.txt in the "
                        "current folder; never the data folder) — then move it to offline media")
    p.add_argument("--paper", metavar="FILE.pdf", help="also print the key on paper (code and QR) to this PDF")
    p.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase from standard input")
    p.add_argument("--passphrase", help=argparse.SUPPRESS)  # refused with a sentence: never on the command line


def _key_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--key", required=True, metavar="KEYFILE",
                   help="the province recovery key file (from offline media, or the paper key's code in a file)")
    p.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase from standard input")
    p.add_argument("--passphrase", help=argparse.SUPPRESS)


# --- commands --------------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def province_transaction(settings: ServerSettings) -> Iterator[Connection]:
    """One transaction on the province database (migrated first), for a command."""
    engine = open_engine(settings)
    try:
        with db.transaction(engine) as conn:
            yield conn
    finally:
        engine.dispose()


# --- secrets: asked for, or one line of standard input; never an argument ---------------------------------------------


def refuse_secret_arguments(args: argparse.Namespace) -> None:
    for name, option in (("password", "--password-stdin"), ("passphrase", "--passphrase-stdin")):
        if getattr(args, name, None) is not None:
            raise CliError(f"không nhận {name} trên dòng lệnh (lịch sử lệnh, danh sách tiến trình) — hãy gõ khi được "
                           f"hỏi hoặc dùng {option} / a {name} is never taken on the command line (shell history, "
                           f"the process list): type it when asked, or use {option}")


def read_secret(prompt: str, from_stdin: bool, confirm: bool = False) -> str:
    """A password or passphrase: one line of standard input (``from_stdin``), else asked without echo (twice when
    ``confirm``)."""
    if from_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        secret = getpass.getpass(f"{prompt}: ")
        if confirm and getpass.getpass(f"{prompt} (nhập lại / again): ") != secret:
            raise CliError("hai lần nhập không khớp / the two entries differ")
    if not secret:
        raise CliError(f"thiếu {prompt} / {prompt} is empty")
    return secret


PASSPHRASE_PROMPT = "Cụm mật khẩu khóa khôi phục / recovery key passphrase"


def recovery_private_key(args: argparse.Namespace) -> bytes:
    """The private recovery key from ``--key`` (a key file, or a paper key's code typed or scanned into a file),
    opened with the passphrase; an old plain key file opens without one (with a warning to protect it)."""
    refuse_secret_arguments(args)
    text = recovery_key.read_key_text(Path(args.key))
    if text.plain_key is not None:
        print(f"payout-server: cảnh báo — {args.key} là khóa không mã hóa; hãy chạy payout-server protect-recovery-key "
              f"/ warning: {args.key} is an unencrypted key; protect it (payout-server protect-recovery-key)",
              file=sys.stderr)
        return text.plain_key
    return recovery_key.unlock(text.code or "", read_secret(PASSPHRASE_PROMPT, args.passphrase_stdin))


# --- the recovery key: made by init, never kept on the server ---------------------------------------------------------


def _new_key(args: argparse.Namespace) -> Callable[[], NewKey]:
    def ask() -> NewKey:
        refuse_secret_arguments(args)
        key_file = Path(args.key_out) if args.key_out else None
        passphrase = read_secret(PASSPHRASE_PROMPT + " (≥ 12 ký tự / characters)", args.passphrase_stdin,
                                 confirm=True)
        recovery_key.check_new_passphrase(passphrase)
        return NewKey(key_file or Path.cwd() / f"recovery-key-{secrets.token_hex(4)}.txt", passphrase)

    return ask


def warn_plain_keys(plain: Sequence[Path]) -> None:
    """Tell the officer, plainly, that a private key lies unencrypted on the server and what to run."""
    if not plain:
        return
    names = ", ".join(str(path) for path in plain)
    print(f"payout-server: CẢNH BÁO — khóa khôi phục bí mật đang nằm KHÔNG MÃ HÓA trong thư mục dữ liệu ({names}). "
          "Ai sao chép được thư mục này sẽ mở được khóa của mọi máy chi trả. Hãy chạy: payout-server --data "
          "<thư mục> protect-recovery-key --key-out /media/usb/khoa-khoi-phuc.txt (mã hóa bằng cụm mật khẩu, ghi ra "
          "USB rồi xóa bản rõ).\n"
          f"payout-server: WARNING — the private recovery key is UNENCRYPTED in the data folder ({names}); whoever "
          "copies the folder can open every laptop's key. Run: payout-server --data <folder> protect-recovery-key "
          "--key-out /media/usb/recovery-key.txt (encrypts it under a passphrase onto the USB stick and removes the "
          "plain file).", file=sys.stderr)


def _write_paper(path: str, code: str, public_key: str, settings: ServerSettings) -> None:
    from server.paper_key import render_paper_key

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(render_paper_key(code, public_key, settings.clock()))
    print(f"Bản giấy / paper key: {out} — in ra, cất vào két, rồi xóa tệp PDF / print it, put it in the safe, then "
          "delete the PDF")


def _key_file_told(path: Path) -> None:
    print(f"Khóa bí mật (đã mã hóa) / private key (encrypted): {path}")
    print("  → Chép tệp này sang thiết bị lưu trữ ngoại tuyến (USB cất trong két), rồi XÓA khỏi máy này; cụm mật khẩu "
          "cất riêng. Máy chủ không cần tệp này để chạy.")
    print("  → Move this file to offline media (a USB stick kept in the safe), then DELETE it from this machine; keep "
          "the passphrase apart. The server does not need it to run.")


def cmd_init(args: argparse.Namespace, settings: ServerSettings) -> int:
    refuse_secret_arguments(args)
    done = init_server(settings, _new_key(args), rotate=args.rotate)
    print(f"Đã khởi tạo máy chủ / server ready: {settings.database_url}")
    print(f"Khóa khôi phục công khai / recovery public key: {done.public_key}")
    if done.key_file is not None and done.code is not None:
        _key_file_told(done.key_file)
        if args.paper:
            _write_paper(args.paper, done.code, done.public_key, settings)
    elif args.paper or args.key_out:
        print("payout-server: tỉnh đã có khóa khôi phục nên không tạo khóa mới (--rotate để tạo); in bản giấy bằng "
              "payout-server paper-key --key TỆP / the province already has a recovery key, so none was made "
              "(--rotate makes a new one); print an existing one with payout-server paper-key --key FILE",
              file=sys.stderr)
    warn_plain_keys(done.plain_keys)
    return 0


def cmd_protect_key(args: argparse.Namespace, settings: ServerSettings) -> int:
    refuse_secret_arguments(args)
    if not legacy_plain_keys(settings):
        raise CliError(f"không có khóa dạng rõ trong / no plain recovery key in {settings.data_dir}")
    wanted = _new_key(args)()
    made = protect_legacy_keys(settings, wanted.key_file, wanted.passphrase)
    for plain, key_file, code in made:
        print(f"Đã mã hóa / encrypted {plain} → {key_file}; đã xóa bản rõ / the plain file is overwritten and deleted")
        _key_file_told(key_file)
        if args.paper and plain.name == "recovery.key":
            _write_paper(args.paper, code, recovery_key.public_key_of(recovery_key.unlock(code, wanted.passphrase)),
                         settings)
    print("Lưu ý: các bản sao lưu cũ của thư mục dữ liệu vẫn có thể chứa khóa rõ — hãy hủy chúng. / Note: older "
          "backups of the data folder may still hold the plain key: destroy them.")
    return 0


def cmd_paper_key(args: argparse.Namespace, settings: ServerSettings) -> int:
    text = recovery_key.read_key_text(Path(args.key))
    private = recovery_private_key(args)  # the passphrase must open it: a paper copy nobody can open is no copy
    if text.code is None:
        raise CliError("khóa chưa mã hóa: chạy protect-recovery-key trước / the key is not encrypted: run "
                       "protect-recovery-key first")
    _write_paper(args.out, text.code, recovery_key.public_key_of(private), settings)
    return 0


def uvicorn_config(app: Any, host: str, port: int) -> Any:
    """How the server is served: uvicorn's own ``X-Forwarded-*`` handling off (it trusts loopback by default); the
    app believes those headers only from ``settings.trusted_proxies`` (``server.api.main.ProvinceApp``)."""
    import uvicorn

    return uvicorn.Config(app, host=host, port=port, log_level="warning", proxy_headers=False)


def cmd_serve(args: argparse.Namespace, settings: ServerSettings) -> int:
    import uvicorn

    from server.api import create_app

    if args.trusted_proxy:
        settings.trusted_proxies = parse_proxies(",".join(args.trusted_proxy))
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("payout-server: lưu ý — hãy đặt máy chủ sau HTTPS (reverse proxy) / serve behind HTTPS", file=sys.stderr)
    warn_plain_keys(legacy_plain_keys(settings))
    engine = open_engine(settings)  # migrate only: serving never makes, reads or replaces keys
    with engine.connect() as conn:
        ready = db.get_meta(conn, "recovery_public_key")
    if not ready:
        engine.dispose()
        raise CliError("máy chủ chưa khởi tạo / the server is not initialised: run payout-server init first")
    app = create_app(settings, engine)
    server = uvicorn.Server(uvicorn_config(app, args.host, args.port))
    if args.ready_file:
        _announce_when_ready(server, args.ready_file, {"url": f"http://{args.host}:{args.port}"})
    server.run()
    return 0


def _announce_when_ready(server: Any, ready_file: str, info: dict[str, Any]) -> None:
    """Write ``info`` (with the real port) to ``ready_file`` once uvicorn listens."""
    import threading
    import time

    def wait() -> None:
        while not server.started and not server.should_exit:
            time.sleep(0.02)
        if server.started:
            sockets = [s for srv in server.servers for s in srv.sockets]
            if sockets:
                host, port = sockets[0].getsockname()[:2]
                info["url"] = f"http://{host}:{port}"
            tmp = Path(ready_file).with_suffix(".tmp")
            tmp.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
            tmp.replace(ready_file)

    threading.Thread(target=wait, daemon=True).start()


def _exit_when_stdin_closes(server: Any, grace: float = 5.0) -> None:
    """Stop serving once standard input reaches its end: the embedded demo server's parent (the desktop) holds the
    other end of that pipe, and the system closes it when the parent exits — normally, by a crash or killed — so the
    server never outlives the desktop and the next start finds its port free. A server that does not stop within
    ``grace`` seconds is ended outright."""
    import threading
    import time

    def watch() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        server.should_exit = True
        time.sleep(grace)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def cmd_import_list(args: argparse.Namespace, settings: ServerSettings) -> int:
    """The list read with the desk's bounded reader (``server.list_import``, as the console's upload worker)."""
    from server.list_import import import_list_file

    engine = open_engine(settings)
    try:
        outcome = import_list_file(engine, Path(args.file), period=args.period, now=settings.clock(),
                                   agency=args.agency)
        with engine.connect() as conn:  # what the list contradicted, said in words
            contradictions = facts.numbered(conn, outcome.contradictions)
    finally:
        engine.dispose()
    if not outcome.imported:
        for line in outcome.error_lines("vi"):
            print(line, file=sys.stderr)
        return 2
    counts = outcome.counts
    from app.lists.policy import load_policy

    agency = load_policy().agency_name(outcome.agency) if outcome.agency else "nhiều cơ quan / several agencies"
    print(f"Đã nhập danh sách kỳ {display_period(outcome.period)} của {agency}: "
          f"{format_number(counts['communes'])} xã, "
          f"{format_number(counts['people'])} người, {format_number(counts['lines'])} khoản "
          f"({format_number(counts['withdrawn'])} khoản rút khỏi danh sách)")
    for line in outcome.warning_lines("vi"):
        print(line)
    for line in outcome.reconciliation_lines("vi"):
        print(line)
    if contradictions:
        policy = load_policy()
        print(f"Danh sách mâu thuẫn với điều chỉnh đang giữ ({len(contradictions)}); giá trị đang giữ vẫn "
              "giữ nguyên, chờ quyết định (payout-server decide SỐ --keep | --accept --reason …):")
        for contradiction in contradictions:
            print(f"  [{contradiction.contradiction_id}] {describe(contradiction, policy=policy)}")
    return 0


def cmd_contradictions(args: argparse.Namespace, settings: ServerSettings) -> int:
    with province_transaction(settings) as conn:
        rows = facts.listing(conn, None, "all" if args.all else "open")
    if not rows:
        print("Không có mâu thuẫn nào chờ quyết định / no open contradictions" if not args.all else
              "Không có mâu thuẫn nào / no contradictions")
    from app.lists.policy import load_policy

    policy = load_policy()
    for item in reversed(rows):
        state = ("chờ quyết định / open" if item.decision is None else
                 f"{item.decision.choice.value}: {item.decision.by_user} — {item.decision.reason}")
        words = describe(item.contradiction, args.lang, policy=policy)
        print(f"[{item.contradiction.contradiction_id}] {words} [{state}]")
    return 0


def cmd_decide(args: argparse.Namespace, settings: ServerSettings) -> int:
    choice = Choice.KEEP if args.keep else Choice.ACCEPT
    by = args.by or _login_name()
    with province_transaction(settings) as conn:
        contradiction = province.decide(conn, args.number, choice, args.reason, by, settings.clock())
        audit.record(conn, by, f"contradiction_{choice.value}", contradiction.record_code, args.reason.strip(),
                     {"contradiction": args.number, "subject": contradiction.subject.value,
                      "line": contradiction.line_key or "", "via": "cli"}, now=settings.clock())
    verb = "Giữ điều chỉnh / kept the amendment" if choice is Choice.KEEP else \
        "Theo danh sách / accepted the list's value"
    print(f"{verb}: [{args.number}] {contradiction.full_name or contradiction.record_code}")
    return 0


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "—"


def cmd_add_user(args: argparse.Namespace, settings: ServerSettings) -> int:
    refuse_secret_arguments(args)
    password = read_secret("Mật khẩu / password", args.password_stdin, confirm=True)
    with province_transaction(settings) as conn:
        accounts.add_user(conn, args.username, args.name, args.role, password, args.commune, settings.clock(),
                          args.agency)
    print(f"Đã lưu người dùng / saved user {args.username} ({args.role})")
    return 0


def cmd_enrol_code(args: argparse.Namespace, settings: ServerSettings) -> int:
    with province_transaction(settings) as conn:
        code = accounts.make_enrol_code(conn, args.commune, settings.clock(), settings.enrol_code_hours, args.label)
    print(code)
    return 0


def parse_day(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise CliError(f"ngày không hợp lệ / bad date: {text!r} (dd/mm/yyyy)")


def cmd_amend(args: argparse.Namespace, settings: ServerSettings) -> int:
    options: dict[str, Any] = {}
    if args.death:
        options["death"] = parse_day(args.death)
    if args.representative:
        options["representative"] = (args.representative, args.representative_id)
    if args.suspend is not None:
        options["suspend"] = args.suspend
    if args.resume:
        options["resume"] = True
    if args.amount:
        try:
            options["amount"] = (args.amount[0], int(args.amount[1].replace(".", "")))
        except ValueError:
            raise CliError(f"số tiền không hợp lệ / bad amount: {args.amount[1]}") from None
    if args.new_line:
        period, programme, regime, kind, amount = args.new_line
        try:
            options["new_line"] = {"period": period, "programme": programme, "regime": regime, "kind": kind,
                                   "amount": int(amount.replace(".", ""))}
        except ValueError:
            raise CliError(f"số tiền không hợp lệ / bad amount: {amount}") from None
    if not options:
        raise CliError("không có gì để sửa / nothing to amend (see --help)")
    by = args.by or _login_name()
    with province_transaction(settings) as conn:
        person = province.amend(conn, args.record_code, settings.clock(), by=by, reason=args.reason,
                                source=FactSource.CLI, **options)
        for action in _audited_actions(options):  # the same log lines as the console's amendments
            audit.record(conn, by, f"amend_{action}", person.record_code, args.reason.strip(),
                         {key: str(value) for key, value in options.items()} | {"via": "cli"}, now=settings.clock())
    vi, en = STATUS_WORDS[person.status.value]
    print(f"Đã ghi nhận / recorded: {person.record_code} {person.full_name} — {vi} / {en}")
    return 0


def _audited_actions(options: dict[str, Any]) -> list[str]:
    """The console's action names for what one ``amend`` command recorded (a representative given with a death is
    part of the death, as on the console's form)."""
    actions: list[str] = [name for name in ("death", "suspend", "resume", "amount", "new_line") if name in options]
    if "representative" in options and "death" not in options:
        actions.insert(0, "representative")
    return actions


def cmd_revoke(args: argparse.Namespace, settings: ServerSettings) -> int:
    with province_transaction(settings) as conn:
        accounts.revoke(conn, args.device_id, args.reason, settings.clock())
    print(f"Đã thu hồi thiết bị / revoked device {args.device_id}")
    return 0


def cmd_assign(args: argparse.Namespace, settings: ServerSettings) -> int:
    with province_transaction(settings) as conn:
        accounts.assign_communes(conn, args.device_id, args.commune, settings.clock())
    print(f"Thiết bị {args.device_id} phục vụ / now serves: {', '.join(sorted(set(args.commune)))}")
    return 0


def cmd_import_batch(args: argparse.Namespace, settings: ServerSettings) -> int:
    from server.ingest import BatchRefused
    from server.journal import apply_journal

    private = recovery_private_key(args)
    engine = open_engine(settings)
    try:
        with engine.connect() as conn:
            def public_key_of(device_id: str) -> str | None:
                row = accounts.device_row(conn, device_id)
                return row["public_key"] if row else None

            offline = unpack_offline_batch(Path(args.file).read_bytes(), private, public_key_of)
        entries = offline.batch.get("entries", [])
        applied = already = flagged = 0
        for start in range(0, len(entries), constants.MAX_BATCH_ENTRIES):
            try:
                outcome = apply_journal(engine, settings, offline.device_id,
                                        entries[start:start + constants.MAX_BATCH_ENTRIES], None)
            except BatchRefused as error:
                raise CliError(f"{error.code}: {error.message}") from None
            for result in outcome.results:
                applied += result.status == constants.APPLIED
                already += result.status == constants.ALREADY_APPLIED
                flagged += result.status == constants.FLAGGED
    finally:
        engine.dispose()
    print(f"Thiết bị {offline.device_id}: {applied} mới, {already} đã có, {flagged} bị gắn cờ "
          f"/ {applied} applied, {already} already applied, {flagged} flagged")
    return 0


def cmd_recover(args: argparse.Namespace, settings: ServerSettings) -> int:
    from server import recovery

    private = recovery_private_key(args)
    engine = open_engine(settings)
    try:
        out = recovery.recover_backup(engine, private, Path(args.backup), Path(args.out), args.device)
    finally:
        engine.dispose()
    print(f"Đã mở bản sao lưu / backup opened: {out}")
    return 0


REPORT_FORMATS = (".pdf", ".xlsx")


def cmd_report(args: argparse.Namespace, settings: ServerSettings) -> int:
    from app.domain.period import display_period, is_period
    from server import settlement

    if not is_period(args.period):
        raise CliError(f"kỳ không hợp lệ / bad period: {args.period!r} (YYYY-MM)")
    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in REPORT_FORMATS:
        raise CliError(f"tệp phải là .pdf hoặc .xlsx / the file must end in .pdf or .xlsx: {out.name}")
    engine = open_engine(settings)
    try:
        with engine.connect() as conn:
            report = settlement.settlement(conn, args.period, args.commune, now=settings.clock(), agency=args.agency,
                                           clock=settings.province_time)
            deadline_lines = _deadline_lines(conn, args, settings)
    finally:
        engine.dispose()
    if suffix == ".pdf":
        from server.settlement_pdf import render_settlement_pdf

        content = render_settlement_pdf(report)
    else:
        from server.settlement_xlsx import render_settlement_xlsx

        content = render_settlement_xlsx(report)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_bytes(content)
        tmp.replace(out)
    except OSError as error:
        raise CliError(f"không ghi được / cannot write {out}: {error.strerror or error}") from None
    print(f"Đã ghi báo cáo quyết toán tháng {display_period(args.period)} ({len(report.communes)} xã, mã "
          f"{report.document_code}) / settlement report written: {out}")
    for line in deadline_lines:
        print(line)
    return 0


def _deadline_lines(conn: Connection, args: argparse.Namespace, settings: ServerSettings) -> list[str]:
    """The month's deadlines check (``server.deadlines``) as text, for the agency asked for or each agency with a list
    that month, over the commune asked for (else every commune); printed after the report, exit status unchanged."""
    from app.lists.policy import load_policy
    from server import deadlines

    policy = load_policy()
    codes = [args.agency] if args.agency else deadlines.agencies_of_month(conn, args.period, policy)
    lines: list[str] = []
    for code in codes:
        month = deadlines.check(conn, args.period, code, policy=policy, clock=settings.province_time,
                                now=settings.clock(), scope=[args.commune] if args.commune else None)
        lines.extend(deadlines.report_lines(month, settings.province_time, policy.agency_name(code)))
    return lines


def cmd_demo(args: argparse.Namespace, settings: ServerSettings) -> int:
    from server import demo

    info = demo.set_up(settings, communes=args.communes, period=args.period)
    if args.no_serve:
        print(json.dumps(info, ensure_ascii=False))
        return 0
    import uvicorn

    from server.api import create_app

    app = create_app(settings)
    server = uvicorn.Server(uvicorn_config(app, args.host, args.port))
    if args.exit_with_stdin:
        _exit_when_stdin_closes(server)
    if args.ready_file:
        _announce_when_ready(server, args.ready_file, {**info, "pid": os.getpid()})
    else:
        print(json.dumps(info, ensure_ascii=False), flush=True)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
