"""Offline sign-in against cached Argon2id verifiers, with the five-strikes lockout."""

from __future__ import annotations

import datetime as dt

import pytest

from app.domain.errors import BadInputError
from app.domain.model import Role


def test_right_password_signs_in(store):
    staff = store.staff.sign_in("giaodich", "pw-teller")
    assert (staff.username, staff.role) == ("giaodich", Role.TELLER)


def test_wrong_password_says_how_many_tries_are_left(store):
    with pytest.raises(BadInputError) as error:
        store.staff.sign_in("giaodich", "sai")
    assert error.value.code == "sign_in_failed" and error.value.params["left"] == 4
    assert "còn 4 lần thử" in error.value.message("vi")


def test_unknown_user_gets_the_same_words(store):
    with pytest.raises(BadInputError) as error:
        store.staff.sign_in("nobody", "x")
    assert error.value.code == "sign_in_failed"


def test_five_wrong_passwords_lock_for_five_minutes(store, clock):
    for _ in range(4):
        with pytest.raises(BadInputError):
            store.staff.sign_in("giaodich", "sai")
    with pytest.raises(BadInputError) as fifth:
        store.staff.sign_in("giaodich", "sai")
    assert fifth.value.code == "account_locked"
    with pytest.raises(BadInputError) as locked:
        store.staff.sign_in("giaodich", "pw-teller")  # even the right password while locked
    assert locked.value.code == "account_locked"
    assert store.staff.sign_in("giamsat", "pw-supervisor")  # other accounts are not affected

    clock.now += dt.timedelta(minutes=5, seconds=1)
    assert store.staff.sign_in("giaodich", "pw-teller").username == "giaodich"
    with pytest.raises(BadInputError) as fresh:
        store.staff.sign_in("giaodich", "sai")
    assert fresh.value.params["left"] == 4  # the counter started again
