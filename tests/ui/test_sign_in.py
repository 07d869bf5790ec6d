"""Signing in through the real widgets where the password is also what opens the laptop: the sign-in names who can
open it, a colleague without a key slot is told whom to ask, a wrong password says how many tries are left (never a
placeholder) without squeezing the dialog, and "add a person" gives a colleague sent by the province their slot."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from app.domain.errors import StoreError
from app.domain.model import Role
from app.store.feed import StaffChange
from app.store.keyslots import Credentials
from app.store.store import Store
from app.ui.signin_dialog import AddPersonDialog, SignInDialog
from app.ui.tasks import DbRunner


@pytest.fixture
def runner():  # a DbRunner
    made = DbRunner()
    yield made
    made.stop()


def test_the_sign_in_opens_a_closed_laptop_with_the_staff_members_password(tmp_path, qtbot, runner, monkeypatch):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        store.staff.add("lan", "Trần Thị Lan", Role.SUPERVISOR, "mk-lan-123")
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")

    def opener(username: str, password: str):
        return Store.open_as(folder, Credentials(username, password))

    dialog = SignInDialog(runner, None, "vi", opener=opener, holders="Trần Thị Lan (lan)")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Trần Thị Lan (lan)" in dialog.findChild(type(dialog.message), "holders").text()
    size, field = dialog.size(), dialog.username.width()

    dialog.username.setText("hoa")  # never signed in here: the laptop cannot open with her password
    dialog.password.setText("bất-kỳ")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled())
    assert "chưa đăng nhập lần nào trên máy này" in dialog.message.text() and "Trần Thị Lan" in dialog.message.text()

    dialog.username.setText("lan")
    dialog.password.setText("sai")
    dialog.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled())
    assert dialog.message.text() == "Sai tên đăng nhập hoặc mật khẩu (còn 4 lần thử)"
    assert dialog.size().width() >= size.width() and dialog.username.width() == field  # no squeeze
    dialog.password.setText("mk-lan-123")
    with qtbot.waitSignal(dialog.signedIn, timeout=5000):
        dialog.sign_in_button.click()
    assert dialog.staff.username == "lan" and dialog.store is not None
    dialog.store.close()


def test_a_colleague_sent_by_the_province_gets_a_key_slot_on_the_open_laptop(tmp_path, qtbot, runner, monkeypatch):
    folder = tmp_path / "data"
    store = Store.open(folder)
    hasher = PasswordHasher()  # the province's Argon2id verifiers, as the feed carries them
    store.sync.apply_changes([StaffChange("lan", "Trần Thị Lan", "supervisor", hasher.hash("mk-lan-123"))],
                             next_cursor=1)
    store.staff.sign_in("lan", "mk-lan-123")  # Lan works on this laptop
    store.sync.apply_changes([StaffChange("hoa", "Phạm Thị Hoa", "teller", hasher.hash("mk-hoa-456"))],
                             next_cursor=2)  # a new teller, sent by the province
    assert [holder.username for holder in store.vault.holders()] == ["lan"]

    dialog = AddPersonDialog(runner, store, "vi")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.username.setText("hoa")
    dialog.form.password.setText("mk-hoa-456")
    dialog.form.sign_in_button.click()
    qtbot.waitUntil(lambda: dialog.added != [], timeout=5000)
    assert "Từ nay Phạm Thị Hoa đăng nhập được trên máy này" in dialog.form.message.text()
    runner.run_sync(store.close)

    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")
    reopened, staff = Store.open_as(folder, Credentials("hoa", "mk-hoa-456"))
    reopened.close()
    assert staff.role is Role.TELLER


def test_a_staff_member_the_province_disables_loses_their_slot_at_the_next_sync(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    with Store.open(folder) as store:
        verifier = PasswordHasher().hash("mk-hoa-456")
        store.sync.apply_changes([StaffChange("hoa", "Phạm Thị Hoa", "teller", verifier),
                                  StaffChange("lan", "Trần Thị Lan", "supervisor", PasswordHasher().hash("mk-lan"))],
                                 next_cursor=1)
        store.staff.sign_in("hoa", "mk-hoa-456")
        store.staff.sign_in("lan", "mk-lan")
        assert {holder.username for holder in store.vault.holders()} == {"hoa", "lan"}
        store.sync.apply_changes([StaffChange("hoa", active=False)], next_cursor=2)  # the province disables her
        assert [holder.username for holder in store.vault.holders()] == ["lan"]
        store.sync.apply_changes([StaffChange("lan", "Trần Thị Lan", "supervisor", PasswordHasher().hash("mk-mới"))],
                                 next_cursor=3)  # the province resets his password: the old one opens nothing
        assert store.vault.holders() == ()
        store.staff.sign_in("lan", "mk-mới")  # his next sign-in on the open laptop rewraps
        assert [holder.username for holder in store.vault.holders()] == ["lan"]
    monkeypatch.setenv("PAYOUT_DESK_KEYRING", "off")
    with pytest.raises(Exception) as refused:
        Store.open(folder, credentials=Credentials("hoa", "mk-hoa-456"))
    assert getattr(refused.value, "code", "") == "store_open_first"
    with pytest.raises(Exception) as old:
        Store.open(folder, credentials=Credentials("lan", "mk-lan"))
    assert getattr(old.value, "code", "") == "sign_in_failed"
    Store.open(folder, credentials=Credentials("lan", "mk-mới")).close()
    with pytest.raises(StoreError):
        Store.open(folder)
