"""A new laptop through the real first-run screen: enrolled against a real province server over loopback HTTP, its
first sync brings the staff, the first sign-in gives that person a key slot — and, on a laptop without an OS
keyring, nothing but that password opens it next time. Or, without a server, the first supervisor account."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.domain.errors import StoreError
from app.store.keyslots import Credentials
from app.store.store import Store
from app.ui.first_run import FirstRunDialog
from app.ui.tasks import DbRunner
from tests.builders.province import Province
from tests.builders.store import Clock


@pytest.fixture
def runner():  # a DbRunner
    made = DbRunner()
    yield made
    made.stop()


@pytest.fixture
def province(tmp_path: Path):  # a live province server with the small commune and two staff
    served = Province(f"sqlite:///{tmp_path}/server.db", tmp_path / "province",
                      Clock(dt.datetime.now(dt.UTC)))  # the laptop's clock is the real one
    yield served
    served.close()


def _first_run(qtbot, runner: DbRunner, folder: Path, **options) -> FirstRunDialog:
    dialog = FirstRunDialog(runner, folder, "vi", **options)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_new_laptop_enrols_syncs_and_its_first_sign_in_opens_it_next_time(tmp_path, qtbot, runner, province,
                                                                             monkeypatch):
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")  # the hard case: only passwords open this laptop
    folder = tmp_path / "laptop"
    dialog = _first_run(qtbot, runner, folder)
    dialog.enrol_choice.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.enrol_page)
    form = dialog.enrol_form
    form.server.setText(province.url)
    form.code.setText("ABCD-EFGH-JKLM")  # not a code the province gave
    with qtbot.waitSignal(form.failed, timeout=15_000):
        form.confirm.click()
    assert "Mã đăng ký không đúng hoặc đã được dùng" in form.message.text()
    assert dialog.store.sync.enrolment() is None

    form.code.setText(province.enrol_code())
    form.confirm.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget().objectName() == "signInPage", timeout=30_000)
    assert "Nguyễn Thị Giao Dịch (giaodich)" in dialog.accounts.text()
    assert "Trần Văn Giám Sát (giamsat)" in dialog.accounts.text()

    sign_in = dialog.sign_in_form
    size, field = sign_in.size(), sign_in.username.width()
    sign_in.username.setText("giaodich")
    sign_in.password.setText("sai")
    sign_in.sign_in_button.click()
    qtbot.waitUntil(lambda: sign_in.sign_in_button.isEnabled())
    assert sign_in.message.text() == "Sai tên đăng nhập hoặc mật khẩu (còn 4 lần thử)"
    assert sign_in.size() == size and sign_in.username.width() == field  # the message does not squeeze the form
    sign_in.password.setText("pw-teller")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        sign_in.sign_in_button.click()
    store = dialog.store
    assert dialog.staff.username == "giaodich"
    assert store.sync.enrolment().server_url == province.url and store.sync.device_key() is not None
    device_key = store.sync.device_key()
    runner.run_sync(store.close)

    with pytest.raises(StoreError) as closed:
        Store.open(folder)
    assert closed.value.code == "store_sign_in_needed" and "giaodich" in closed.value.message("vi")
    reopened, staff = Store.open_as(folder, Credentials("giaodich", "pw-teller"))
    with reopened:
        assert staff.full_name == "Nguyễn Thị Giao Dịch" and reopened.sync.device_key() == device_key


def test_a_laptop_without_a_server_starts_with_its_first_supervisor(tmp_path, qtbot, runner, monkeypatch):
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")
    folder = tmp_path / "laptop"
    dialog = _first_run(qtbot, runner, folder)
    dialog.local_choice.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget().objectName() == "localPage")
    dialog.full_name.setText("Trần Thị Lan")
    dialog.new_username.setText("lan")
    dialog.new_password.setText("ngắn")
    dialog.create_account.click()
    assert "ít nhất 8 ký tự" in dialog.local_message.text()
    dialog.new_password.setText("mật-khẩu-Lan")
    dialog.repeat_password.setText("mật-khẩu-Lân")
    dialog.create_account.click()
    assert "không khớp" in dialog.local_message.text()
    dialog.repeat_password.setText("mật-khẩu-Lan")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.create_account.click()
    assert dialog.staff.username == "lan" and dialog.staff.role.value == "supervisor"
    runner.run_sync(dialog.store.close)
    reopened, _staff = Store.open_as(folder, Credentials("lan", "mật-khẩu-Lan"))
    reopened.close()


def test_leaving_before_anyone_signed_in_leaves_nothing_nobody_could_open(tmp_path, qtbot, runner, monkeypatch):
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")
    folder = tmp_path / "laptop"
    dialog = _first_run(qtbot, runner, folder)
    dialog.local_choice.click()
    qtbot.waitUntil(lambda: dialog.store is not None)
    assert (folder / "payout.db").exists()
    dialog.reject()
    assert dialog.store is None and not (folder / "payout.db").exists() and not (folder / "keyslots.json").exists()


def test_a_setup_nobody_can_open_is_set_aside_and_started_again(tmp_path, qtbot, runner, monkeypatch):
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")
    folder = tmp_path / "laptop"
    Store.open(folder).close()  # an earlier first run left after the store was made: nobody can open it
    dialog = _first_run(qtbot, runner, folder, unfinished=True)
    assert dialog.findChild(type(dialog.accounts), "unfinishedNote") is not None
    dialog.local_choice.click()
    qtbot.waitUntil(lambda: dialog.store is not None)
    aside = [path for path in folder.iterdir() if path.name.startswith("chua-cai-dat-xong-")]
    assert len(aside) == 1 and (aside[0] / "payout.db").exists() and (aside[0] / "keyslots.json").exists()
    runner.run_sync(dialog.store.close)
    dialog.store = None
