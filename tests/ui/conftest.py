"""Fixtures for the dialog tests: a scene copy per test, dialogs, prompts, sandbox.

Layer: tests/ui (pytest-qt). Each test gets its own copy of
``examples/shot010.json`` and its ``.katana`` file in ``tmp_path`` (so
writes never touch the repository) next to the sample show the scene
refers to (generated once per session and linked in). Dialogs are driven
as a user would, through qtbot; threaded paths are awaited with
``qtbot.waitUntil`` / ``waitSignal``, never fixed sleeps.
"""

import os
import shutil
import threading

import pytest

from ciokatana.core.filescene import FileScene
from ciokatana.qt import QtCore, QtWidgets
from ciokatana.standalone.sample_show import ensure_sample_show

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(ROOT, "examples")
SHIPPED_MOCK = os.path.join(ROOT, "scripts", "mock_submission.json")
OURS = ("ciokatana-ui", "ciokatana-runner", "ciokatana-job", "ciokatana-prepare")


def ciokatana_threads():
    return [t for t in threading.enumerate() if t.name.startswith(OURS) and t.is_alive()]


@pytest.fixture(scope="session", autouse=True)
def binding_refcount_guard():
    """PySide6 6.12.0 on Python 3.11 leaks references to None (see ciokatana.ui.compat)."""
    from ciokatana.ui.compat import guard_binding_refcounts

    guard_binding_refcounts()


@pytest.fixture(autouse=True)
def no_leaked_threads(qtbot):
    """Every test ends with no thread of ours left and no non-daemon thread at all."""
    yield
    qtbot.waitUntil(lambda: not ciokatana_threads(), timeout=15000)
    leaked = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    assert not leaked, "non-daemon threads left running: {}".format(leaked)


@pytest.fixture(scope="session", autouse=True)
def garbage_collected_only_on_the_ui_thread():
    """No automatic garbage collection while the UI tests run; each test collects on the UI thread.

    An automatic collection runs on whichever thread happens to allocate,
    often a worker (a plan, the runner, ciocore's uploader), and may destroy
    a test's widget there, which crashes Qt ("Bus error" on PySide2, a
    segmentation fault in ``Bridge._emit`` on PyQt5). pytest-qt closes a
    test's widgets after that test's fixtures, so their garbage outlives
    the test: collecting it only here, on the UI thread, is the one safe
    place. (The dialog a user opens is deleted by Qt on the UI thread when
    it closes, so it never reaches that point.)
    """
    import gc

    gc.disable()
    yield
    gc.enable()


def _collect_on_the_ui_thread():
    import gc

    app = QtWidgets.QApplication.instance()
    for _ in range(2):
        if app is not None:
            app.sendPostedEvents(None, QtCore.QEvent.DeferredDelete)
        gc.collect()


@pytest.fixture(autouse=True)
def qt_garbage_collected_on_the_ui_thread(qtbot):
    """Before and after each test, delete widgets and collect Python's garbage here, on the UI thread.

    Before: what pytest-qt closed after the previous test. After: this
    test's own, once its worker threads are over.
    """
    _collect_on_the_ui_thread()
    yield
    qtbot.waitUntil(lambda: not ciokatana_threads(), timeout=15000)
    _collect_on_the_ui_thread()


@pytest.fixture(autouse=True)
def new_session():
    """Each test starts a new host session: no runs kept from another test's dialogs."""
    from ciokatana.ui import session

    session.forget()
    yield
    session.forget()


@pytest.fixture(scope="session")
def sample_show_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("show")
    ensure_sample_show(str(root))
    return root


@pytest.fixture
def shot_path(tmp_path, sample_show_root):
    """A private copy of examples/shot010.json with its .katana file and sample show."""
    for name in ("shot010.json", "shot010_lighting_v003.katana"):
        shutil.copyfile(os.path.join(EXAMPLES, name), str(tmp_path / name))
    os.symlink(str(sample_show_root / "sample_show"), str(tmp_path / "sample_show"))
    return str(tmp_path / "shot010.json")


@pytest.fixture
def scene(shot_path):
    return FileScene(shot_path)


@pytest.fixture(autouse=True)
def private_presets(tmp_path, monkeypatch):
    """Presets go to a folder of the test's own, never the user's ~/.katana."""
    folder = tmp_path / "presets" / "user"
    monkeypatch.setenv("CIOKATANA_USER_PRESETS", str(folder))
    monkeypatch.delenv("CIOKATANA_SHOW_PRESETS", raising=False)
    monkeypatch.delenv("CIOKATANA_PRESET_PATH", raising=False)
    return folder


@pytest.fixture
def mock_feature(monkeypatch):
    monkeypatch.setenv("CIO_FEATURE_MOCK", "1")


class Opened(list):
    """Collects URLs the dialog asked the browser to open."""


@pytest.fixture
def opened():
    return Opened()


@pytest.fixture
def make_dialog(qtbot, opened):
    """``make_dialog(scene, **controller_kwargs)``: a shown dialog whose first plan has arrived."""
    from ciokatana.ui.controller import Controller
    from ciokatana.ui.dialog import ConductorDialog

    made = []

    def make(scene, wait_plan=True, **kwargs):
        kwargs.setdefault("url_opener", opened.append)
        controller = Controller(scene, **kwargs)
        dialog = ConductorDialog(controller)
        controller.setParent(dialog)
        dialog.show()
        made.append(dialog)
        if wait_plan:
            qtbot.waitUntil(lambda: controller.plan_result is not None, timeout=10000)
        return dialog

    yield make
    for dialog in made:
        if not dialog.is_closed:
            if dialog.controller.is_running:
                dialog.controller.cancel_run()
                qtbot.waitUntil(lambda d=dialog: not d.controller.is_running, timeout=15000)
            dialog.close()


class Ui(object):
    """Helpers that act on the dialog as a user would (the ``ui`` fixture)."""

    def __init__(self, qtbot):
        self.qtbot = qtbot

    def answer(self, dialog, key, timeout=10000):
        """Wait for the dialog's open prompt offering ``key`` and click that button."""
        self.qtbot.waitUntil(lambda: dialog.prompt is not None and key in dialog.prompt.keys(), timeout=timeout)
        prompt = dialog.prompt
        self.click(prompt.button(key))
        return prompt

    def click(self, widget):
        assert widget.isVisible() and widget.isEnabled(), "{} cannot be clicked".format(widget.text())
        if isinstance(widget, QtWidgets.QCheckBox):  # click the box, not the empty space after the text
            self.qtbot.mouseClick(widget, QtCore.Qt.LeftButton, pos=QtCore.QPoint(8, widget.height() // 2))
        else:
            self.qtbot.mouseClick(widget, QtCore.Qt.LeftButton)

    def choose(self, combo, value):
        """Pick the combo item holding value (as choosing it in the popup would)."""
        from ciokatana.ui.widgets.combos import select_value

        assert select_value(combo, value), "{!r} is not offered by the combo".format(value)

    def type_into(self, line_edit, text):
        line_edit.clear()
        self.qtbot.keyClicks(line_edit, text)

    def section(self, dialog, title):
        return dialog.tab("configure").section(title)

    def use_mock(self, dialog, path, interval=0.05):
        """Mock mode Use Mock with a file and an interval, through the Advanced section."""
        advanced = self.section(dialog, "Advanced")
        self.choose(advanced.mock_mode_combo, "use")
        self.type_into(advanced.mock_file_field.edit, path)
        advanced.mock_interval_spin.setValue(interval)
        return advanced

    def submit(self, dialog):
        self.click(dialog.submit_button)

    def connect(self, dialog, project="Previs", instance_type="n2-standard-4"):
        """Click Connect, wait for the lists, then pick a project and a machine (the sandbox offers these)."""
        bar = dialog.tab("configure").connection_bar
        self.click(bar.connect_button)
        self.qtbot.waitUntil(lambda: bar.state == "ready", timeout=20000)
        general = self.section(dialog, "General")
        self.choose(general.project_combo, project)
        self.choose(general.instance_combo, instance_type)

    def wait_asked_or_started(self, dialog, runs_before=0, timeout=30000):
        """After Submit: wait for a question, or for the run to start (a short run may already be over).

        ``runs_before``: how many runs the dialog had before this Submit.
        """
        controller = dialog.controller
        self.qtbot.waitUntil(lambda: dialog.prompt is not None or controller.is_running
                             or len(controller.runs) > runs_before, timeout=timeout)

    def wait_run_done(self, dialog, timeout=30000):
        self.qtbot.waitUntil(lambda: not dialog.controller.is_running and dialog.flow.state == "idle", timeout=timeout)


@pytest.fixture
def ui(qtbot):
    return Ui(qtbot)


@pytest.fixture
def no_credentials(monkeypatch, tmp_path):
    """A process whose ciocore has no key and no login (a throw-away HOME)."""
    home = tmp_path / "empty-home"
    home.mkdir()
    for name in ("CONDUCTOR_API_KEY", "CONDUCTOR_API_KEY_PATH", "CONDUCTOR_URL", "CONDUCTOR_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("CONDUCTOR_USER_DIR", str(home / ".conductor"))
    yield home
    from ciocore import config

    config.__config__ = None


def app():
    return QtWidgets.QApplication.instance()


class FakeConductor(object):
    """A ``submit_factory`` standing in for ciocore's Submit: numbered job ids, chosen failures.

    Each job reports one progress update over the first two files it uploads
    (the first already on Conductor, the second uploaded in full), then answers
    with the next job id, or raises for titles ending with a name in ``fail``.
    """

    def __init__(self):
        self.next_id = 1
        self.fail = set()
        self.submitted = []

    def __call__(self, payload):
        return _FakeSubmit(self, payload)


class _FakeSubmit(object):
    def __init__(self, conductor, payload):
        self.conductor = conductor
        self.payload = payload
        self.progress_handler = None

    def main(self):
        from types import SimpleNamespace

        cached, fresh = self.payload["upload_paths"][:2]
        size = os.path.getsize(fresh)
        files = {cached: {"bytes_to_upload": 0, "bytes_uploaded": 0, "already_uploaded": True, "md5": "b",
                          "md5_was_cached": True},
                 fresh: {"bytes_to_upload": size, "bytes_uploaded": size, "already_uploaded": False, "md5": "a",
                         "md5_was_cached": False}}
        if self.progress_handler is not None:
            self.progress_handler(SimpleNamespace(
                files_to_analyze=2, files_to_upload=1, bytes_to_upload=size * 1024.0, bytes_uploaded=size * 1024.0,
                transfer_rate=0.0, percent_complete=1.0, elapsed_time=1.0, time_remaining=0.0, file_progress=files))
        title = self.payload["job_title"]
        if any(title.endswith(name) for name in self.conductor.fail):
            raise RuntimeError("the service refused {}".format(title))
        jobid = "{:05d}".format(self.conductor.next_id)
        self.conductor.next_id += 1
        self.conductor.submitted.append((jobid, title))
        return {"body": "job submitted.", "jobid": jobid, "status": "success", "uri": "/jobs/" + jobid}, 201

    def stop_work(self):
        pass


@pytest.fixture
def fake_conductor():
    return FakeConductor()
