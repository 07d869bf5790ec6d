"""Starting the desktop client: Qt application, bundled font, translations, the store on its worker, sign-in, window.

``run()`` is what ``payout-desk`` and ``payout-desk demo`` call. The first screen depends on the data folder
(``opening``): the first-run screen on a new laptop, else the sign-in — which also opens the encrypted data with the
staff member's password where no OS keyring opens it. ``--self-test`` opens the main window on the given folder
offscreen, checks that the store, the font and the translations load, and exits 0 (used by CI on the built
program).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.domain.errors import StoreError
from app.domain.model import Role, Staff
from app.lists.policy import load_policy
from app.resources import resource_path
from app.store.keyslots import Credentials
from app.store.store import DB_NAME, Store
from app.ui.settings import IDLE_LOCK_MINUTES, LANGUAGE, SYNC_INTERVAL_SECONDS, qsettings
from app.ui.tasks import DbRunner

APP_NAME = "Payout Desk"


def binding_is_safe() -> bool:
    """False on a Qt binding that drops references to None (PySide6 6.12.0 on CPython 3.11).

    Such a build returns None from every void C++ call without taking a reference; after enough calls the
    interpreter aborts mid-session. A teller must never lose a session to that, so the app refuses to start.
    """
    if sys.version_info >= (3, 12):
        return True
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(10):
        probe.setObjectName("probe")
    return sys.getrefcount(None) >= before


def install_fonts(app: QApplication) -> str | None:
    """Register the bundled Vietnamese font (regular and bold) and make it the application font."""
    family = None
    fonts = resource_path("fonts")
    for path in sorted(fonts.glob("*.ttf")) if fonts.exists() else []:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0 and family is None:
            families = QFontDatabase.applicationFontFamilies(font_id)
            family = families[0] if families else None
    if family:
        font = QFont(family)
        font.setPointSizeF(max(app.font().pointSizeF(), 11.0))  # large, legible type for a busy hall
        app.setFont(font)
    return family


def install_translations(app: QApplication, lang: str) -> bool:
    """Vietnamese is the source language (the text in the code); another language loads ``payout_desk_<lang>.qm``.

    The ``.qm`` files are compiled from ``resources/translations/*.ts`` (by ``./dev`` and by ``build.spec``, never
    committed) and found through ``resource_path``, in a checkout and in the frozen build alike. False when the file is
    missing or empty: the app then shows Vietnamese, and ``--self-test`` fails.
    """
    if lang == "vi":
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
        install_qt_translations(app, lang)
        return True
    translator = QTranslator(app)
    loaded = translator.load(str(resource_path("translations", f"payout_desk_{lang}.qm"))) and not translator.isEmpty()
    if loaded:
        app.installTranslator(translator)
    return loaded


def install_qt_translations(app: QApplication, lang: str) -> bool:
    """Qt's own texts (the buttons of message boxes, the file and print dialogs, text menus) in ``lang``: Qt's
    catalogue where the PySide6 wheel has one, else ours (``resources/translations/qtbase_<lang>.qm``; the wheels
    have no Vietnamese). False when neither exists (Qt then shows English, its source language)."""
    for folder in (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), str(resource_path("translations"))):
        translator = QTranslator(app)
        if translator.load(f"qtbase_{lang}", folder) and not translator.isEmpty():
            app.installTranslator(translator)
            return True
        translator.setParent(None)
    return False


def run(data_dir: Path, *, demo: bool = False, lang: str | None = None, self_test: bool = False,
        self_test_as: Credentials | None = None) -> int:
    """The desktop client; ``lang`` None means the language chosen in the settings (Vietnamese by default).

    ``self_test_as`` opens a data folder the OS keyring does not open (the demo's teller, whose password it prints).
    """
    if not binding_is_safe():
        print("Payout Desk: this PySide6 build is unsafe on this Python (it drops references to None); "
              "install PySide6-Essentials < 6.12 or use Python 3.12+", file=sys.stderr)
        return 1
    app = cast(QApplication, QApplication.instance()) or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    lang = lang or LANGUAGE.get(qsettings())
    family = install_fonts(app)
    translated = install_translations(app, lang)
    runner = DbRunner()
    store: Store | None = None
    try:
        if self_test:
            try:
                store = runner.run_sync(lambda: Store.open(data_dir, demo=demo, credentials=self_test_as))
            except Exception as error:
                return _cannot_open(error, lang, show=False)
            return _self_test(app, runner, store, load_policy(), lang, demo, family, translated)
        # What sign-in does not need (the main window, documents, reportlab, QtPdf) loads while the user types.
        preload = threading.Thread(target=_preload_main_window, name="payout-desk-preload", daemon=True)
        QTimer.singleShot(0, preload.start)
        try:
            signed_in = sign_in(runner, data_dir, lang, demo)
        except Exception as error:  # shown once, in the user's words
            return _cannot_open(error, lang, show=True)
        if signed_in is None:
            return 0
        store, staff = signed_in
        if preload.is_alive():
            preload.join()
        from app.ui.main_window import MainWindow

        window = MainWindow(runner, store, staff, load_policy(), lang, demo=demo)
        window.enable_idle_lock(IDLE_LOCK_MINUTES.get(qsettings()))
        window.enable_auto_sync(SYNC_INTERVAL_SECONDS.get(qsettings()))
        window.resize(1366, 768)
        window.show()
        window.start()
        return app.exec()
    finally:
        if store is not None:
            runner.run_sync(store.close)
        runner.stop()


def _cannot_open(error: BaseException, lang: str, *, show: bool) -> int:
    from PySide6.QtWidgets import QMessageBox

    from app.ui.errors import error_text

    message = error_text(error, lang)
    print(f"{APP_NAME}: {message}", file=sys.stderr)
    if show:  # nobody could close a dialog in a self-test
        QMessageBox.critical(None, APP_NAME, message)
    return 1


@dataclass(frozen=True)
class Opening:
    """What the program shows first for a data folder (``opening``): the first-run screen (``first_run``, with the
    store when it is open but has nobody to sign in, ``unfinished`` for a setup nobody can open), or the sign-in
    (with the store when the OS keyring opened it, else ``holders``: who can open it with their password)."""

    first_run: bool
    store: Store | None = None
    unfinished: bool = False
    holders: str = ""


def opening(data_dir: Path, demo: bool = False) -> Opening:
    """Decide the first screen (on the store's worker thread): never a sign-in box with no account behind it."""
    if not (data_dir / DB_NAME).exists():
        return Opening(first_run=True)
    try:
        store = Store.open(data_dir, create=False, demo=demo)
    except StoreError as error:
        if error.code == "store_sign_in_needed":
            return Opening(first_run=False, holders=str(error.params.get("holders", "")))
        if error.code == "store_no_opener":
            return Opening(first_run=True, unfinished=True)
        raise
    try:
        has_staff = bool(store.staff.active())
    except BaseException:
        store.close()
        raise
    return Opening(first_run=not has_staff, store=store)


def sign_in(runner: DbRunner, data_dir: Path, lang: str, demo: bool) -> tuple[Store, Staff] | None:
    """The first screen and its outcome: the open store and the signed-in staff member, or None (the user quit)."""
    from app.ui.first_run import FirstRunDialog
    from app.ui.signin_dialog import SignInDialog

    start = runner.run_sync(lambda: opening(data_dir, demo))
    if start.first_run:
        first = FirstRunDialog(runner, data_dir, lang, store=start.store, unfinished=start.unfinished, demo=demo)
        if start.store is not None and runner.run_sync(start.store.sync.enrolment) is not None:
            first.start_sync()  # enrolled, but no account arrived yet: fetch them
        accepted = first.exec() == FirstRunDialog.DialogCode.Accepted
        if accepted and first.store is not None and first.staff is not None:
            return first.store, first.staff
        if first.store is not None:
            runner.run_sync(first.store.close)
        return None
    if start.store is not None:
        dialog = SignInDialog(runner, start.store, lang, demo=demo)
    else:
        def opener(username: str, password: str) -> tuple[Store, Staff]:
            return Store.open_as(data_dir, Credentials(username, password), demo=demo)

        dialog = SignInDialog(runner, None, lang, demo=demo, opener=opener, holders=start.holders)
    if dialog.exec() == SignInDialog.DialogCode.Accepted and dialog.store is not None and dialog.staff is not None:
        return dialog.store, dialog.staff
    if dialog.store is not None:
        runner.run_sync(dialog.store.close)
    return None


def _preload_main_window() -> None:
    """Import the main window's modules off the GUI thread (imports only: no widget is created here)."""
    import importlib

    importlib.import_module("app.ui.main_window")
    load_policy()


def _self_test(app: QApplication, runner: DbRunner, store: Store, policy: object, lang: str, demo: bool,
               family: str | None, translated: bool) -> int:
    """Open the real window offscreen and check what a packaged build could be missing.

    Besides the store (opened, journal verified) and the window: the bundled font; the UI language's translation and
    the English one too, so a build without its ``.qm`` files fails even in Vietnamese; the Alembic migration scripts,
    which Alembic loads by path (a frozen build must carry them as files); and the keyring backends, which keyring
    finds through package metadata (without it a frozen build would quietly keep the key in a file instead of the OS
    keyring).
    """
    from importlib.metadata import entry_points

    from app.store.database import HEAD_REVISION, MIGRATIONS_DIR
    from app.ui.main_window import MainWindow

    problems = []
    if not family:
        problems.append("bundled font not found")
    if not translated:
        problems.append(f"translation for {lang} not found")
    english = QTranslator()
    english_file = resource_path("translations", "payout_desk_en.qm")
    if not english.load(str(english_file)) or english.isEmpty():
        problems.append(f"English translation not found ({english_file})")
    qt_vietnamese = QTranslator()
    qt_file = resource_path("translations", "qtbase_vi.qm")
    probe = ("QPlatformTheme", "Cancel")  # Qt's own text, looked up in our catalogue (not an app string for lupdate)
    if not qt_vietnamese.load(str(qt_file)) or qt_vietnamese.translate(*probe) != "Hủy":
        problems.append(f"Vietnamese for Qt's own dialogs not found ({qt_file})")
    try:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        head = ScriptDirectory.from_config(config).get_current_head()
        if head != HEAD_REVISION:
            problems.append(f"migration head is {head}, expected {HEAD_REVISION} ({MIGRATIONS_DIR})")
    except Exception as error:  # a missing script folder or a module the bundle left out
        problems.append(f"migration scripts do not load ({MIGRATIONS_DIR}): {type(error).__name__}: {error}")
    if not list(entry_points(group="keyring.backends")):
        problems.append("keyring backends not found (package metadata missing)")
    problems.extend(_time_zone_problems(store))
    verify = runner.run_sync(store.maintenance.verify)
    if not verify.ok:
        problems.append("journal does not verify")
    window = MainWindow(runner, store, Staff("self-test", "Self test", Role.TELLER), policy, lang, demo=demo)  # type: ignore[arg-type]
    window.show()
    QTimer.singleShot(200, app.quit)
    app.exec()
    window.close()
    for problem in problems:
        print(f"self-test: {problem}", file=sys.stderr)
    if not problems:
        print(f"self-test: font {family}; language {lang}; schema {HEAD_REVISION}; "
              f"time zone {store.province_time.zone}; window {window.windowTitle()}")
    print("self-test: ok" if not problems else "self-test: FAILED")
    return 0 if not problems else 1


def _time_zone_problems(store: Store) -> list[str]:
    """The IANA data must come with the program (``tzdata``; Windows has none of its own), and the store's zone must
    load: otherwise screen and paper could not show the province's time."""
    from importlib.resources import files

    from app.domain.clock import DEFAULT_TIME_ZONE

    problems = []
    try:
        files("tzdata.zoneinfo").joinpath(*DEFAULT_TIME_ZONE.split("/")).read_bytes()
    except Exception as error:  # the package left out of a build, or a partial copy of it
        problems.append(f"IANA time-zone data (tzdata) not bundled: {type(error).__name__}: {error}")
    try:
        store.province_time.format_datetime(store.clock())
    except Exception as error:
        problems.append(f"time zone {store.province_time.zone} does not load: {type(error).__name__}: {error}")
    return problems
