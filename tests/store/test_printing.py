"""The print log: a second print of the same document (the same fingerprint) is marked "BẢN IN LẠI"; saving as PDF
is not a print; the log is append-only; the migration that adds it keeps an older store's data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from app.documents.api import DocumentRequest
from app.documents.data import DocumentKind
from app.documents.verify import verify_pdf
from app.store import database
from app.store.keys import new_key
from app.store.printing import locator_text, prepare_document, print_document
from app.store.store import DB_NAME, Store
from tests.builders.store import DAY, DUC, POINT, legacy_key_folder, request


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _sheet(kind: DocumentKind = DocumentKind.SHEET_SIGNED) -> DocumentRequest:
    return DocumentRequest(kind, point_id=POINT, day=DAY)


def test_first_print_is_the_first_paper_print_of_a_fingerprint(store, clock):
    locator = {"point": POINT, "day": DAY.isoformat(), "period": "2026-12"}
    assert store.printing.first_print("AAAA") is None
    store.printing.record("AAAA", DocumentKind.SHEET_SIGNED, locator, "giaodich", "saved")
    assert store.printing.first_print("AAAA") is None  # a PDF kept on the laptop is not a print
    clock.now += dt.timedelta(hours=2)
    first = store.printing.record("AAAA", "sheet-signed", dict(reversed(list(locator.items()))), "giamsat", "printed")
    store.printing.record("AAAA", "sheet-signed", locator, "giaodich", "cli")
    assert store.printing.first_print("AAAA") == first.printed_at == dt.datetime(2026, 12, 5, 10, 30,
                                                                               tzinfo=dt.UTC)
    assert [(p.fingerprint, p.staff, p.how) for p in store.printing.prints("sheet-signed", locator)] == [
        ("AAAA", "giaodich", "saved"), ("AAAA", "giamsat", "printed"), ("AAAA", "giaodich", "cli")]
    assert store.printing.first_print("BBBB") is None and store.printing.first_print("") is None
    store.printing.record("BBBB", "receipt", {"payment": "p-1"}, "cli", "cli")  # the CLI makes files for paper
    assert store.printing.first_print("BBBB") is not None
    with pytest.raises(ValueError):
        store.printing.record("AAAA", "sheet-signed", locator, "giaodich", "faxed")


def test_second_print_is_marked_and_keeps_its_fingerprint(store, session_id, clock):
    store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    first = print_document(store, _sheet(), "giaodich", "printed")
    assert first.reprint_at is None and "BẢN IN LẠI" not in first.title
    assert "BẢN IN LẠI" not in _text(first.pdf)
    clock.now += dt.timedelta(minutes=40)
    second = print_document(store, _sheet(), "giaodich", "saved")  # a PDF of a paper already handed over
    assert second.reprint_at == clock.now and second.title.endswith("BẢN IN LẠI")
    assert "BẢN IN LẠI — in lại lúc 05/12/2026 16:10" in _text(second.pdf)  # shown in Vietnam's time
    assert second.fingerprint == first.fingerprint
    assert verify_pdf(store.reports, first.pdf).ok and verify_pdf(store.reports, second.pdf).ok
    assert [p.how for p in store.printing.prints(second.kind, second.locator)] == ["printed", "saved"]
    # the blank sheet of the same point and day is another document: its first print is not marked
    assert print_document(store, _sheet(DocumentKind.SHEET_BLANK), "giaodich", "cli").reprint_at is None


def test_the_evening_sheet_is_not_a_reprint_of_the_midday_one(store, session_id, clock):
    midday = print_document(store, _sheet(), "giaodich", "saved")  # saved as PDF at midday
    also_printed = print_document(store, _sheet(), "giaodich", "printed")
    assert also_printed.reprint_at is None  # saving first made it no reprint
    clock.now += dt.timedelta(hours=5)
    store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    evening = print_document(store, _sheet(), "giaodich", "printed")
    assert evening.fingerprint != midday.fingerprint
    assert evening.reprint_at is None and "BẢN IN LẠI" not in _text(evening.pdf)
    assert print_document(store, _sheet(), "giaodich", "printed").reprint_at == clock.now  # the same one again


def test_a_receipt_saved_as_pdf_then_printed_on_paper_is_not_a_reprint(store, session_id, clock):
    payment = store.payouts.pay(request(session_id, DUC, store.payouts.person(DUC).selected))
    receipt = DocumentRequest(DocumentKind.RECEIPT, payment_id=payment.entry_id)
    saved = print_document(store, receipt, "giaodich", "saved")
    clock.now += dt.timedelta(minutes=2)
    handed_over = print_document(store, receipt, "giaodich", "printed")
    assert saved.reprint_at is None and handed_over.reprint_at is None
    assert "BẢN IN LẠI" not in _text(handed_over.pdf)
    clock.now += dt.timedelta(minutes=30)
    again = prepare_document(store, receipt)  # the person lost it: the preview of a second paper copy says so
    assert again.reprint_at == clock.now and again.fingerprint == handed_over.fingerprint


def test_preview_records_nothing_and_a_failed_output_is_not_logged(store, session_id):
    shown = prepare_document(store, _sheet())
    assert store.printing.first_print(shown.fingerprint) is None

    def broken(_document):
        raise OSError("printer jammed")

    with pytest.raises(OSError):
        print_document(store, _sheet(), "giaodich", "printed", output=broken)
    assert store.printing.first_print(shown.fingerprint) is None
    assert store.printing.prints(shown.kind, shown.locator) == []


def test_the_public_notice_is_logged_but_never_marked(store, session_id):
    notice = DocumentRequest(DocumentKind.NOTICE, point_id=POINT, day=DAY)
    print_document(store, notice, "giaodich", "printed")
    again = print_document(store, notice, "giaodich", "printed")
    assert again.reprint_at is None and "BẢN IN LẠI" not in _text(again.pdf)
    assert [p.fingerprint for p in store.printing.prints("notice", again.locator)] == ["", ""]


def test_the_log_refuses_update_and_delete(store):
    store.printing.record("AAAA", "receipt", {"payment": "p-1"}, "giaodich", "printed")
    for statement in ("UPDATE printed_documents SET staff = 'someone else'", "DELETE FROM printed_documents"):
        with pytest.raises(Exception, match="append-only"):
            with database.write(store.engine) as conn:
                conn.execute(text(statement))
    assert len(store.printing.prints("receipt", {"payment": "p-1"})) == 1


def test_locator_text_is_canonical():
    assert locator_text({"b": "Đ", "a": "1"}) == locator_text({"a": "1", "b": "Đ"}) == '{"a":"1","b":"Đ"}'


def test_upgrade_from_0003_keeps_the_data(tmp_path):
    folder = tmp_path / "data"
    key = new_key()
    legacy_key_folder(folder, key)
    engine = database.make_engine(folder / DB_NAME, key)
    database.migrate(engine, "0003")
    with database.write(engine) as conn:
        conn.execute(text("INSERT INTO meta VALUES ('device_id', 'dev-1'), ('store_id', 'old-store')"))
        conn.execute(text("INSERT INTO provinces VALUES ('QNH', 'Quảng Ninh')"))
        conn.execute(text("INSERT INTO communes (code, name, province_code) VALUES ('QNH-0001', 'Xã Yên Đức', 'QNH')"))
        conn.execute(text(
            "INSERT INTO beneficiaries (record_code, full_name, commune_code, category, status, village) "
            "VALUES ('QNH/AQ-00001-TCM', 'Nguyễn Văn Đức', 'QNH-0001', 'AQ', 'active', 'Thôn Đông')"))
        conn.execute(text("INSERT INTO staff (username, full_name, role, password_hash, failed_attempts) "
                          "VALUES ('a', 'A', 'teller', 'x', 2)"))
    engine.dispose()

    with Store.open(folder) as upgraded:
        assert database.current_revision(upgraded.engine) == database.HEAD_REVISION
        assert upgraded.device_id == "dev-1"
        with database.read(upgraded.engine) as conn:
            assert conn.execute(text("SELECT username, failed_attempts FROM staff")).all() == [("a", 2)]
            assert conn.execute(text("SELECT full_name FROM beneficiaries")).scalar() == "Nguyễn Văn Đức"
            triggers = {row[0] for row in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'printed_documents'"))}
            indexes = {row[0] for row in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'printed_documents'"))}
        assert triggers == {"printed_documents_no_update", "printed_documents_no_delete"}
        assert indexes == {"ix_printed_documents_locator", "ix_printed_documents_fingerprint"}
        assert upgraded.printing.first_print("AAAA") is None
        upgraded.printing.record("AAAA", "receipt", {"payment": "x"}, "a", "cli")
        assert upgraded.printing.first_print("AAAA") is not None
