"""Enrolling the device and exporting the pending journal from the desk's menu, through the real widgets: enrolment
runs off the GUI thread with a fake (or the real function on inputs it refuses before any network), a refusal is
explained in Vietnamese with nothing saved, success closes the dialog and starts the first sync, the menu follows the
enrolment, and the export writes a file the province can open.
"""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from app.domain.errors import BadInputError
from app.lists.policy import load_policy
from app.store.store import Store
from app.sync.client import SyncError
from app.sync.engine import SyncReport
from app.sync.enrolment import ensure_device_key, record_enrolment
from app.ui import enrol_dialog, file_dialogs
from app.ui.enrol_dialog import CA_FILE_NAME, EnrolDialog, normalise_code, normalise_url
from app.ui.main_window import MainWindow
from app.wire import sealing, signing
from app.wire.offline import unpack_offline_batch
from tests.builders.desk import Factory, open_window, type_text
from tests.builders.store import COMMUNE

GUI = threading.main_thread()
URL = "https://chitra.tinh.example.vn"
CODE = "ABCD-EFGH-JKLM"
PEM = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


class FakeEnrol:
    """Stands in for ``app.sync.enrolment.enrol``: records the call and its thread, optionally waits for the test,
    then records a real enrolment in the store (like the real one) or raises ``error``."""

    def __init__(self, *, error: BaseException | None = None, gate: threading.Event | None = None,
                 communes: tuple[str, ...] = (COMMUNE, "QNH-0002")) -> None:
        self.error, self.gate, self.communes = error, gate, communes
        self.calls: list[dict] = []
        self.threads: list[threading.Thread] = []

    def __call__(self, store: Store, server_url: str, code: str, *, label: str = "",
                 ca_bundle: str | None = None) -> tuple[str, ...]:
        self.threads.append(threading.current_thread())
        self.calls.append({"url": server_url, "code": code, "label": label, "ca_bundle": ca_bundle,
                           "ca_data": Path(ca_bundle).read_bytes() if ca_bundle else None})
        if self.gate is not None:
            assert self.gate.wait(5), "the test never released the enrolment"
        if self.error is not None:
            raise self.error
        ensure_device_key(store)
        record_enrolment(store, server_url, self.communes,
                         sealing.recovery_public_key(sealing.new_recovery_key()), ca_bundle)
        return self.communes


def make_dialog(qtbot, store: Store, enrol=None) -> EnrolDialog:
    dialog = EnrolDialog(store, "vi", enrol=enrol)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(dialog: EnrolDialog, url: str = URL, code: str = CODE) -> None:
    dialog.server.setText(url)
    dialog.code.setText(code)


def message_boxes(name: str) -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == name and w.isVisible()]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the dialog on its own -------------------------------------------------------------------------------------------


def test_codes_and_addresses_are_normalised():
    assert normalise_code(" abcd efgh-jklm ") == CODE
    assert normalise_code("ABCDEFGHJKLM") == CODE
    assert normalise_code("ABCD-EFGH") is None and normalise_code("ABCD-EFGH-JKL!") is None
    assert normalise_url("chitra.tinh.example.vn/") == URL
    assert normalise_url("  ") is None and normalise_url("ftp://x") is None and normalise_url("https://") is None


def test_the_dialog_refuses_an_empty_address_or_code_without_enrolling(desk, qtbot):
    _runner, store = desk
    fake = FakeEnrol()
    dialog = make_dialog(qtbot, store, fake)
    assert dialog.device_name.text()  # the computer's name by default
    dialog.confirm.click()
    assert "Nhập địa chỉ máy chủ tỉnh" in dialog.message.text() and dialog.focusWidget() is dialog.server
    dialog.server.setText(URL)
    dialog.confirm.click()
    assert "Nhập mã đăng ký" in dialog.message.text() and dialog.focusWidget() is dialog.code
    qtbot.keyClicks(dialog.code, "abcd-efgh")
    assert dialog.code.text() == "ABCD-EFGH"  # shown in capitals as typed
    dialog.confirm.click()
    assert "12 chữ và số" in dialog.message.text()
    assert fake.calls == [] and dialog.isVisible() and not dialog.busy
    assert store.sync.enrolment() is None


def test_enrolment_runs_off_the_gui_thread_with_a_busy_state_and_cannot_be_dismissed(desk, qtbot):
    _runner, store = desk
    gate = threading.Event()
    fake = FakeEnrol(gate=gate)
    dialog = make_dialog(qtbot, store, fake)
    said: list[str] = []
    dialog.enrolled.connect(lambda _communes: said.append(dialog.message.text()))  # the dialog closes right after
    fill(dialog, "chitra.tinh.example.vn", "abcd efgh jklm")
    dialog.device_name.clear()
    type_text(dialog.device_name, "Máy xã Đông Hòa")
    try:
        dialog.confirm.click()
        qtbot.waitUntil(lambda: bool(fake.calls))
        assert dialog.busy and dialog.progress.isVisible() and "Đang đăng ký" in dialog.message.text()
        assert not dialog.confirm.isEnabled() and not dialog.cancel.isEnabled() and not dialog.code.isEnabled()
        dialog.reject()  # Esc or the window's close button: the answer must still be heard
        assert dialog.isVisible()
        with qtbot.waitSignal(dialog.enrolled, timeout=3000) as signal:
            gate.set()
    finally:
        gate.set()
    assert signal.args[0] == (COMMUNE, "QNH-0002")
    assert fake.threads[0] is not GUI
    assert fake.calls[0] == {"url": URL, "code": CODE, "label": "Máy xã Đông Hòa", "ca_bundle": None, "ca_data": None}
    assert "Máy này chi trả cho 2 xã: QNH-0001, QNH-0002" in said[0]
    assert store.sync.enrolment().server_url == URL


@pytest.mark.parametrize(("error", "expected"), [
    (SyncError("refused", "bad_enrol_code", "this enrolment code is unknown or already used", 403),
     "Mã đăng ký không đúng hoặc đã được dùng"),
    (SyncError("refused", "enrol_code_expired", "this enrolment code has expired", 403), "Mã đăng ký đã hết hạn"),
    (SyncError("network", "network", "ConnectionError"), f"Không kết nối được máy chủ tỉnh {URL}"),
    (SyncError("refused", "tls", "the server's certificate is not trusted (SSLError)"),
     "Không tin được chứng chỉ của máy chủ"),
    (SyncError("server", "http_503", "server error", 503), "Máy chủ tỉnh đang gặp lỗi (http_503)"),
    (BadInputError("insecure_server", url=URL), "phải bắt đầu bằng https://"),
], ids=["bad_code", "expired", "network", "tls", "server_error", "plain_http"])
def test_a_refusal_is_explained_in_vietnamese_and_the_dialog_stays_open(desk, qtbot, error, expected):
    _runner, store = desk
    dialog = make_dialog(qtbot, store, FakeEnrol(error=error))
    fill(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=3000):
        dialog.confirm.click()
    assert expected in dialog.message.text()
    assert dialog.isVisible() and dialog.confirm.isEnabled() and dialog.code.isEnabled() and not dialog.busy
    assert store.sync.enrolment() is None


def test_the_real_enrolment_refuses_plain_http_and_an_unreachable_server_saving_nothing(desk, qtbot):
    _runner, store = desk
    dialog = make_dialog(qtbot, store)  # the real app.sync.enrolment.enrol
    fill(dialog, "http://chitra.tinh.example.vn")
    with qtbot.waitSignal(dialog.failed, timeout=3000):
        dialog.confirm.click()
    assert "phải bắt đầu bằng https://" in dialog.message.text()
    fill(dialog, f"https://127.0.0.1:{closed_port()}")
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        dialog.confirm.click()
    assert "Không kết nối được máy chủ tỉnh https://127.0.0.1:" in dialog.message.text()
    assert dialog.isVisible() and store.sync.enrolment() is None


def test_a_ca_bundle_from_the_usb_stick_is_copied_into_the_data_folder(desk, qtbot, tmp_path, monkeypatch):
    _runner, store = desk
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "tinh-ca.crt").write_bytes(PEM)
    (usb / "tinh-ca.der").write_bytes(b"\x30\x82\x01\x0a")
    monkeypatch.setattr(enrol_dialog.QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(usb / "tinh-ca.der"), ""))
    refused = FakeEnrol(error=SyncError("refused", "tls", "not trusted"))
    dialog = make_dialog(qtbot, store, refused)
    fill(dialog)
    dialog.choose_ca.click()
    assert dialog.ca_bundle.text() == str(usb / "tinh-ca.der")
    with qtbot.waitSignal(dialog.failed, timeout=3000):
        dialog.confirm.click()
    assert "không phải chứng chỉ dạng PEM" in dialog.message.text() and refused.calls == []

    dialog.ca_bundle.setText(str(usb / "tinh-ca.crt"))
    with qtbot.waitSignal(dialog.failed, timeout=3000):
        dialog.confirm.click()
    assert "Không tin được chứng chỉ" in dialog.message.text()
    installed = Path(store.folder) / CA_FILE_NAME
    assert refused.calls[0]["ca_bundle"] == str(installed) and refused.calls[0]["ca_data"] == PEM
    assert not installed.exists()  # a refused attempt leaves nothing behind

    refused.error = None  # the province now trusts its certificate: the same server accepts the code
    with qtbot.waitSignal(dialog.enrolled, timeout=3000):
        dialog.confirm.click()
    assert installed.read_bytes() == PEM and store.sync.enrolment().ca_bundle == str(installed)


# --- through the main window -----------------------------------------------------------------------------------------


def test_a_successful_enrolment_closes_the_dialog_and_starts_the_first_sync(desk, qtbot):
    fake = FakeEnrol()
    factory = Factory(report=SyncReport())
    runner, store = desk
    staff = store.staff.get("giaodich")
    main = MainWindow(runner, store, staff, load_policy(), "vi", sync_engine_factory=factory, enrol=fake)
    qtbot.addWidget(main)
    main.resize(1366, 768)
    with qtbot.waitSignal(main.sync.statusShown, timeout=2000):
        main.show()
    assert main.enrol_action.isEnabled() and not main.export_action.isEnabled()
    assert main.enrol_action.text() == "Đăng ký máy với máy chủ tỉnh…"

    main.enrol_action.trigger()
    dialog = main.findChild(EnrolDialog)
    assert dialog is not None and dialog.isVisible()
    size = dialog.sizeHint()
    assert size.width() <= 1366 and size.height() <= 768
    fill(dialog)
    with qtbot.waitSignal(main.sync.synced, timeout=3000):  # the first sync, by itself
        with qtbot.waitSignal(dialog.finished, timeout=3000) as closed:
            dialog.confirm.click()
    assert closed.args[0] == EnrolDialog.DialogCode.Accepted
    assert len(factory.engines) == 1 and fake.calls[0]["code"] == CODE
    done = message_boxes("enrolDone")
    assert len(done) == 1 and "Máy này chi trả cho 2 xã: QNH-0001, QNH-0002" in done[0].text()
    assert main.sync.enrolled and not main.enrol_action.isEnabled() and main.export_action.isEnabled()
    assert main.width() <= 1366


def test_a_refused_code_keeps_the_dialog_open_and_the_menu_as_it_was(desk, qtbot):
    runner, store = desk
    fake = FakeEnrol(error=SyncError("refused", "bad_enrol_code", "unknown or used", 403))
    factory = Factory(report=SyncReport())
    main = MainWindow(runner, store, store.staff.get("giaodich"), load_policy(), "vi", sync_engine_factory=factory,
                      enrol=fake)
    qtbot.addWidget(main)
    with qtbot.waitSignal(main.sync.statusShown, timeout=2000):
        main.show()
    main.enrol_action.trigger()
    dialog = main.findChild(EnrolDialog)
    fill(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=3000):
        dialog.confirm.click()
    assert "Mã đăng ký không đúng hoặc đã được dùng" in dialog.message.text() and dialog.isVisible()
    assert dialog.focusWidget() is dialog.code and dialog.code.text() == CODE  # kept, to correct a letter
    assert main.enrol_action.isEnabled() and not main.export_action.isEnabled() and factory.engines == []
    assert not message_boxes("enrolDone")
    dialog.cancel.click()
    assert not dialog.isVisible()


def test_an_enrolled_device_offers_the_export_and_not_the_enrolment(desk, qtbot):
    main, _store = open_window(qtbot, desk, Factory(report=SyncReport()))
    assert not main.enrol_action.isEnabled() and main.export_action.isEnabled()
    assert main.export_action.text() == "Xuất nhật ký chờ gửi ra USB…"
    main.enrol_device()  # even called directly, an enrolled device gets no enrolment dialog
    assert main.findChild(EnrolDialog) is None


@pytest.mark.parametrize(("count", "expected"), [
    (3, "Đã ghi 3 bút toán chờ gửi vào"),
    (0, "Không có bút toán nào chờ gửi"),
])
def test_the_export_runs_on_the_db_worker_and_says_how_many_entries(desk, qtbot, tmp_path, monkeypatch, count,
                                                                    expected):
    main, store = open_window(qtbot, desk, Factory(report=SyncReport()))
    asked: list[str] = []
    threads: list[threading.Thread] = []

    def choose(_parent, _title, default, _filter):
        asked.append(default)
        return str(tmp_path / "usb" / "nhat-ky"), ""

    def fake_export(_store: Store, path: Path) -> int:
        threads.append(threading.current_thread())
        if count:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("{}")
        return count

    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", choose)
    monkeypatch.setattr("app.sync.offline.export_pending", fake_export)
    with qtbot.waitSignal(main.pending_export.exported, timeout=3000) as signal:
        main.export_action.trigger()
    moment = store.province_time.to_local(store.clock()).strftime("%Y%m%d-%H%M")
    short = store.device_id.replace("-", "")[:8]
    assert Path(asked[0]).name == f"nhat-ky-{short}-{moment}.json"
    target = tmp_path / "usb" / "nhat-ky.json"  # the suffix is added when the teller leaves it out
    assert signal.args == [target, count] and threads[0].name == "payout-desk-db"
    assert target.exists() == bool(count)
    boxes = message_boxes("exportResult")
    assert len(boxes) == 1 and expected in boxes[0].text()
    if count:
        assert str(target) in boxes[0].text() and "payout-server import-batch" in boxes[0].text()


def test_the_exported_file_opens_with_the_province_key_and_holds_the_pending_entries(desk, qtbot, tmp_path,
                                                                                     monkeypatch):
    main, store = open_window(qtbot, desk, Factory(report=SyncReport()), enrolled=False)
    recovery = sealing.new_recovery_key()
    device_key = ensure_device_key(store)
    record_enrolment(store, URL, [COMMUNE], sealing.recovery_public_key(recovery), None)
    main.sync.refresh_status()
    qtbot.waitUntil(lambda: main.export_action.isEnabled())
    target = tmp_path / "usb" / "nhat-ky.json"
    monkeypatch.setattr(file_dialogs.QFileDialog, "getSaveFileName", lambda *args: (str(target), ""))
    with qtbot.waitSignal(main.pending_export.exported, timeout=3000) as signal:
        main.export_action.trigger()
    assert signal.args[1] == store.sync.pending_count() == 1  # the session opening
    batch = unpack_offline_batch(target.read_bytes(), recovery,
                                 lambda device: signing.device_public_key(device_key))
    assert batch.device_id == store.device_id and len(batch.batch["entries"]) == 1
    assert re.search(r"Đã ghi 1 bút toán", message_boxes("exportResult")[0].text())
