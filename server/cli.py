"""``payout-server``: the province server's command line.

    payout-server init                         create the database and the province recovery key
    payout-server serve [--host H --port P]    serve the API (uvicorn)
    payout-server import-list FILE [--period YYYY-MM]
    payout-server add-user USER --name N --role teller|supervisor|officer|admin --commune C ... (password asked or --password)
    payout-server enrol-code --commune C ...   print a one-time enrolment code
    payout-server amend RECORD --death DATE [--representative NAME --representative-id ID] | --suspend REASON |
                  --resume | --amount LINE_KEY AMOUNT | --new-line PERIOD PROGRAMME REGIME KIND AMOUNT
    payout-server revoke-device DEVICE [--reason R]
    payout-server assign-device DEVICE --commune C ...   reassign a device's communes
    payout-server import-batch FILE            apply an offline journal file from a USB stick
    payout-server recover-backup BACKUP --out FILE   open a device backup with the province recovery key
    payout-server report --period YYYY-MM [--commune C] --out FILE.pdf|FILE.xlsx   the monthly settlement report
    payout-server demo [--port P]              a demo province: demo list, users, an enrolment code, then serve

Settings: ``--data DIR`` (or PAYOUT_SERVER_DATA) and ``--db URL`` (or PAYOUT_SERVER_DB; default a SQLite file in DIR).
Exit status: 0 done, 2 bad input, 1 unexpected error; errors are one line.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence

from sqlalchemy import Connection

from app.domain.errors import PayoutError
from app.wire import constants, sealing
from app.wire.errors import ProtocolError
from app.wire.offline import unpack_offline_batch
from server import accounts, db, province
from server.settings import ServerSettings


class CliError(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = ServerSettings(data_dir=Path(args.data) if args.data else ServerSettings().data_dir,
                              database_url=args.db or "")
    try:
        return int(args.run(args, settings) or 0)
    except (CliError, accounts.AccountError, province.AmendError, ProtocolError, ValueError) as error:
        print(f"payout-server: {getattr(error, 'message', None) or error}", file=sys.stderr)
        return 2
    except PayoutError as error:
        print(f"payout-server: {error.message('vi')}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="payout-server", description="Máy chủ tỉnh Payout Desk / province server")
    parser.add_argument("--data", help="data folder (recovery key, SQLite database)")
    parser.add_argument("--db", help="database URL, e.g. postgresql+psycopg://user@host/db")
    sub = parser.add_subparsers(required=True)

    p = sub.add_parser("init", help="create the database and the recovery key")
    p.add_argument("--rotate", action="store_true", help="make a new recovery key pair (devices enrolled later use it)")
    p.set_defaults(run=cmd_init)

    p = sub.add_parser("serve", help="serve the API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8700)
    p.add_argument("--ready-file", help="write the URL here once serving")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("import-list", help="import a payout list (.xlsx/.csv)")
    p.add_argument("file")
    p.add_argument("--period")
    p.set_defaults(run=cmd_import_list)

    p = sub.add_parser("add-user", help="add or update a staff member")
    p.add_argument("username")
    p.add_argument("--name", default="")
    p.add_argument("--role", required=True, choices=accounts.ROLES)
    p.add_argument("--commune", action="append", default=[], help="commune code (repeat), or * for all")
    p.add_argument("--password", help="(asked when omitted)")
    p.set_defaults(run=cmd_add_user)

    p = sub.add_parser("enrol-code", help="make a one-time enrolment code for a device")
    p.add_argument("--commune", action="append", required=True)
    p.add_argument("--label", default="")
    p.set_defaults(run=cmd_enrol_code)

    p = sub.add_parser("amend", help="record a death, a suspension, an amount change or a new line")
    p.add_argument("record_code")
    p.add_argument("--death", help="date of death dd/mm/yyyy or yyyy-mm-dd")
    p.add_argument("--representative")
    p.add_argument("--representative-id")
    p.add_argument("--suspend", metavar="REASON")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--amount", nargs=2, metavar=("LINE_KEY", "AMOUNT"))
    p.add_argument("--new-line", nargs=5, metavar=("PERIOD", "PROGRAMME", "REGIME", "KIND", "AMOUNT"))
    p.set_defaults(run=cmd_amend)

    p = sub.add_parser("revoke-device", help="revoke a device (lost laptop)")
    p.add_argument("device_id")
    p.add_argument("--reason", default="")
    p.set_defaults(run=cmd_revoke)

    p = sub.add_parser("assign-device", help="reassign a device's communes (it downloads the new ones)")
    p.add_argument("device_id")
    p.add_argument("--commune", action="append", required=True)
    p.set_defaults(run=cmd_assign)

    p = sub.add_parser("import-batch", help="apply an offline journal file")
    p.add_argument("file")
    p.set_defaults(run=cmd_import_batch)

    p = sub.add_parser("recover-backup", help="decrypt a device backup with the province recovery key")
    p.add_argument("backup")
    p.add_argument("--out", required=True, help="where to write the decrypted SQLite copy")
    p.add_argument("--device", help="device id (default: read from the backup's .sealed-key file)")
    p.set_defaults(run=cmd_recover)

    p = sub.add_parser("report", help="the monthly settlement report (PDF or XLSX, by the file's suffix)")
    p.add_argument("--period", required=True, help="YYYY-MM")
    p.add_argument("--commune", help="one commune's code (default: the whole province, a row per commune)")
    p.add_argument("--out", required=True, help="FILE.pdf or FILE.xlsx")
    p.set_defaults(run=cmd_report)

    p = sub.add_parser("demo", help="a demo province with demo data, users and an enrolment code")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8700)
    p.add_argument("--ready-file", help="write a JSON line (url, enrol code, users) here once serving")
    p.add_argument("--no-serve", action="store_true", help="set up the demo province and exit")
    p.add_argument("--communes", type=int, default=174)
    p.add_argument("--period", help="YYYY-MM (default: this month)")
    p.set_defaults(run=cmd_demo)
    return parser


# --- commands --------------------------------------------------------------------------------------------------------


def open_engine(settings: ServerSettings):  # type: ignore[no-untyped-def]
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(settings.database_url)
    db.migrate(engine)
    return engine


@contextlib.contextmanager
def province_transaction(settings: ServerSettings) -> Iterator[Connection]:
    """One transaction on the province database (migrated first), for a command."""
    engine = open_engine(settings)
    try:
        with db.transaction(engine) as conn:
            yield conn
    finally:
        engine.dispose()


def init_server(settings: ServerSettings, rotate: bool = False) -> str:
    """Create the schema and, once, the province recovery key; returns the recovery public key.

    The public key in the database is the province's: it is never replaced silently. Without the private key file
    (kept offline, as advised) nothing changes; a new key pair is made only for a new database or with ``rotate``.
    """
    engine = open_engine(settings)
    try:
        with engine.connect() as conn:
            current = db.get_meta(conn, "recovery_public_key")
        path = settings.recovery_key_path
        if rotate and path.exists():  # the old private key is kept beside it: old backups still need it
            path.rename(path.with_name(f"recovery.key.{settings.clock().strftime('%Y%m%dT%H%M%S')}"))
        if path.exists():
            private = bytes.fromhex(path.read_text().strip())
            public = sealing.recovery_public_key(private)
            if current and current != public:
                raise CliError(f"khóa khôi phục {path} không khớp khóa của tỉnh trong cơ sở dữ liệu / the recovery key "
                               "file does not match the province's key in the database (use init --rotate to replace)")
        elif current and not rotate:
            return current  # the private key is kept elsewhere (offline): keep the province's public key
        else:
            private = sealing.new_recovery_key()
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(private.hex() + "\n")
            public = sealing.recovery_public_key(private)
        with db.transaction(engine) as conn:
            db.set_meta(conn, "recovery_public_key", public)
        return public
    finally:
        engine.dispose()


def recovery_private_key(settings: ServerSettings) -> bytes:
    path = settings.recovery_key_path
    if not path.exists():
        raise CliError(f"không có khóa khôi phục / no recovery key at {path} (run payout-server init)")
    return bytes.fromhex(path.read_text().strip())


def cmd_init(args: argparse.Namespace, settings: ServerSettings) -> int:
    public = init_server(settings, rotate=args.rotate)
    print(f"Đã khởi tạo máy chủ / server ready: {settings.database_url}")
    print(f"Khóa khôi phục công khai / recovery public key: {public}")
    print(f"Khóa bí mật / private key file (keep offline copies): {settings.recovery_key_path}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: ServerSettings) -> int:
    import uvicorn

    from server.api import create_app

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print("payout-server: lưu ý — hãy đặt máy chủ sau HTTPS (reverse proxy) / serve behind HTTPS", file=sys.stderr)
    engine = open_engine(settings)  # migrate only: serving never makes or replaces keys
    with engine.connect() as conn:
        ready = db.get_meta(conn, "recovery_public_key")
    if not ready:
        engine.dispose()
        raise CliError("máy chủ chưa khởi tạo / the server is not initialised: run payout-server init first")
    app = create_app(settings, engine)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning")
    server = uvicorn.Server(config)
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


def cmd_import_list(args: argparse.Namespace, settings: ServerSettings) -> int:
    """The list read with the desk's bounded reader (``server.list_import``, as the console's upload worker)."""
    from server.list_import import import_list_file

    engine = open_engine(settings)
    try:
        outcome = import_list_file(engine, Path(args.file), period=args.period, now=settings.clock())
    finally:
        engine.dispose()
    if not outcome.imported:
        for line in outcome.error_lines("vi"):
            print(line, file=sys.stderr)
        return 2
    counts = outcome.counts
    print(f"Đã nhập danh sách kỳ {outcome.period}: {counts['communes']} xã, {counts['people']} người, "
          f"{counts['lines']} khoản ({counts['withdrawn']} khoản rút khỏi danh sách)")
    for line in outcome.warning_lines("vi"):
        print(line)
    return 0


def cmd_add_user(args: argparse.Namespace, settings: ServerSettings) -> int:
    password = args.password or getpass.getpass("Mật khẩu / password: ")
    with province_transaction(settings) as conn:
        accounts.add_user(conn, args.username, args.name, args.role, password, args.commune, settings.clock())
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
    with province_transaction(settings) as conn:
        person = province.amend(conn, args.record_code, settings.clock(), **options)
    print(f"Đã ghi nhận / recorded: {person.record_code} {person.full_name} — {person.status.value}")
    return 0


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

    private = recovery_private_key(settings)
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

    private = recovery_private_key(settings)
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
            report = settlement.settlement(conn, args.period, args.commune, now=settings.clock())
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
    return 0


def cmd_demo(args: argparse.Namespace, settings: ServerSettings) -> int:
    from server import demo

    info = demo.set_up(settings, communes=args.communes, period=args.period)
    if args.no_serve:
        print(json.dumps(info, ensure_ascii=False))
        return 0
    import uvicorn

    from server.api import create_app

    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host=args.host, port=args.port, log_level="warning"))
    if args.ready_file:
        _announce_when_ready(server, args.ready_file, dict(info))
    else:
        print(json.dumps(info, ensure_ascii=False), flush=True)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
