"""The controller: the one interface the dialog and its tabs call.

Layer: ui. The controller owns the Scene port, the current
:class:`~ciokatana.core.settings.Settings`, the Conductor account data,
the latest plan and the submission runner; tabs read from it and call its
methods, and listen to its signals. Nothing here builds widgets, so tests
can drive a controller with no dialog, and a dialog can be given a fake
controller (see ``tests/ui``).

Threads: scene reads and writes (``scene.snapshot()``,
``scene.set_farm_settings``, ``scene.store_settings``) happen on the UI
thread, as Katana requires. Planning (which resolves assets on disk),
validation, ``conductor.fetch`` and submissions run on worker threads; their
results come back through the :class:`~ciokatana.ui.bridge.Bridge` as
queued signals.

Settings are stored back through the scene 300 ms after the last change
(and at once on :meth:`Controller.shutdown`), so typing in a field does not
write the scene on every key press, yet nothing is lost when the dialog
closes.
"""

import logging
import os
from dataclasses import fields, replace

from ciokatana.core import conductor as conductor_mod
from ciokatana.core import events as ev
from ciokatana.core import submission
from ciokatana.core.mock import MockFileError, check_mock_file
from ciokatana.core.redact import redact_text
from ciokatana.core.runner import Runner
from ciokatana.core.scene import SceneError
from ciokatana.core.settings import MOCK_MODES, Settings
from ciokatana.qt import QtCore, QtGui, Signal
from ciokatana.ui.bridge import DEFAULT_REFRESH_HZ, Bridge

logger = logging.getLogger(__name__)

SETTING_NAMES = frozenset(f.name for f in fields(Settings))
MOCK_FLAG = "CIO_FEATURE_MOCK"


class SubmitError(Exception):
    """A submission that cannot start; the message says why and what to do."""


def mock_feature_enabled(environ=None):
    """Whether ``CIO_FEATURE_MOCK`` asks for the mock controls."""
    value = (environ if environ is not None else os.environ).get(MOCK_FLAG, "")
    return value.strip().lower() in ("1", "true", "yes", "on")


def open_in_browser(url):
    """Open a URL with the desktop's browser (the default ``url_opener``)."""
    QtGui.QDesktopServices.openUrl(QtCore.QUrl(url))


class Controller(QtCore.QObject):
    """Scene, settings, Conductor data, planning and runs, for the dialog.

    Args:
        scene: a :class:`~ciokatana.core.scene.Scene`.
        parent: owning QObject.
        fetch: ``fetch(force=bool) -> ConductorData``; ciocore's by default.
        submit_factory: ciocore's ``Submit`` factory for the stock
            uploader; the sandbox mode passes one carrying its md5 cache
            path (see :func:`ciokatana.core.submission.open_source`).
        url_opener: ``opener(url)``; opens the browser by default.
        mock_feature: show and honour the mock settings; by default from
            ``CIO_FEATURE_MOCK``.
        save_delay_ms / plan_delay_ms: debounce of storing and replanning.
        refresh_hz: how often progress is applied to the widgets.

    Signals:
        settings_changed(Settings): a copy of the settings after a change.
        scene_changed(SceneSnapshot): the scene was re-read or a node edited.
        planning(bool): a plan is (or is no longer) being computed.
        plan_ready(Prepared): the newest plan, findings and asset figures.
        plan_failed(str): planning crashed (a bug; the message says where).
        submission_prepared(Prepared): answer to :meth:`prepare_submission`.
        conductor_busy(): a Conductor fetch started.
        conductor_ready(ConductorData): the fetch succeeded.
        conductor_failed(str): the fetch failed; the text says why.
        run_started(Runner), run_event(Event), run_finished(str state).
        problem(str): something the artist must know (e.g. a scene write failed).
    """

    settings_changed = Signal(object)
    scene_changed = Signal(object)
    planning = Signal(bool)
    plan_ready = Signal(object)
    plan_failed = Signal(str)
    submission_prepared = Signal(object)
    conductor_busy = Signal()
    conductor_ready = Signal(object)
    conductor_failed = Signal(str)
    run_started = Signal(object)
    run_event = Signal(object)
    run_finished = Signal(str)
    problem = Signal(str)

    def __init__(
        self,
        scene,
        parent=None,
        fetch=None,
        submit_factory=None,
        url_opener=None,
        mock_feature=None,
        save_delay_ms=300,
        plan_delay_ms=120,
        refresh_hz=DEFAULT_REFRESH_HZ,
    ):
        super().__init__(parent)
        self._scene = scene
        self._fetch = fetch or conductor_mod.fetch
        self._submit_factory = submit_factory
        self.url_opener = url_opener or open_in_browser
        self.mock_feature = mock_feature_enabled() if mock_feature is None else bool(mock_feature)
        self.load_error = None
        self._settings = self._load_settings()
        self._snapshot = scene.snapshot()
        self._result = None
        self._generation = 0
        self._plan_thread_busy = False
        self._plan_again = False
        self._preparing = False
        self._conductor = None
        self._conductor_error = None
        self._conductor_busy = False
        self._runner = None
        self._last_runner = None
        self._closed = False
        self._unsaved = False

        self._bridge = Bridge(self, refresh_hz=refresh_hz)
        self._save_timer = self._single_shot(save_delay_ms, self.save_settings)
        self._plan_timer = self._single_shot(plan_delay_ms, self.request_plan)
        self._bridge.run_event.connect(self._on_bridge_event)

    def _single_shot(self, msec, slot):
        timer = QtCore.QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(msec)
        timer.timeout.connect(slot)
        return timer

    def _load_settings(self):
        try:
            return Settings.from_dict(self._scene.load_settings())
        except (SceneError, TypeError, ValueError) as err:
            self.load_error = "Stored Conductor settings could not be read ({}); defaults are shown".format(err)
            logger.warning(self.load_error)
            return Settings()

    # -- read access -----------------------------------------------------
    @property
    def scene(self):
        return self._scene

    @property
    def settings(self):
        """A copy of the current settings (change them with :meth:`update_settings`)."""
        return self._settings.copy()

    @property
    def snapshot(self):
        return self._snapshot

    @property
    def plan_result(self):
        """The newest :class:`~ciokatana.core.submission.Prepared`, or None before the first."""
        return self._result

    @property
    def conductor_data(self):
        return self._conductor

    @property
    def conductor_error(self):
        return self._conductor_error

    @property
    def conductor_is_busy(self):
        return self._conductor_busy

    @property
    def is_planning(self):
        return self._plan_thread_busy or self._preparing

    @property
    def bridge(self):
        return self._bridge

    @property
    def runner(self):
        """The active runner, or None."""
        return self._runner

    @property
    def last_runner(self):
        return self._last_runner

    @property
    def is_running(self):
        return self._runner is not None

    @property
    def closed(self):
        return self._closed

    def effective_mock_mode(self):
        """``off``, ``use`` or ``generate``; always ``off`` without CIO_FEATURE_MOCK."""
        if not self.mock_feature:
            return "off"
        mode = self._settings.mock_mode
        return mode if mode in MOCK_MODES else "off"

    def worker_threads(self):
        """Background threads of this controller still running (planning, fetches, the runner)."""
        return self._bridge.worker_threads()

    @property
    def busy(self):
        """Whether any background work (a worker or a run) is unfinished."""
        runner = self._runner
        return bool(self._bridge.worker_threads()) or (runner is not None and not runner.finished)

    # -- settings --------------------------------------------------------
    def update_settings(self, **changes):
        """Change settings by name; store them (debounced) and replan.

        Raises:
            KeyError: a name that is not a setting.
        """
        unknown = set(changes) - SETTING_NAMES
        if unknown:
            raise KeyError("not a setting: {}".format(", ".join(sorted(unknown))))
        changed = False
        for name, value in changes.items():
            if getattr(self._settings, name) != value:
                setattr(self._settings, name, value)
                changed = True
        if not changed:
            return False
        self._unsaved = True
        self.settings_changed.emit(self.settings)
        self._save_timer.start()
        self.schedule_plan()
        return True

    def save_settings(self):
        """Store the settings through the scene now."""
        self._save_timer.stop()
        try:
            self._scene.store_settings(self._settings.to_dict())
        except (SceneError, OSError) as err:
            self.problem.emit("Could not store the Conductor settings in the scene: {}".format(err))
            return False
        self._unsaved = False
        return True

    @property
    def save_pending(self):
        return self._save_timer.isActive()

    # -- scene -----------------------------------------------------------
    def refresh_scene(self):
        """Read the scene again (UI thread) and replan."""
        try:
            self._snapshot = self._scene.snapshot()
        except SceneError as err:
            self.problem.emit("Could not read the scene: {}".format(err))
            return
        self.scene_changed.emit(self._snapshot)
        self.schedule_plan()

    def set_node_farm(self, node_name, **changes):
        """Change a Render node's Conductor farm settings, through the scene.

        ``changes`` are FarmSettings fields: overrides, frame_spec,
        scout_spec, chunk_size. Returns True when written.
        """
        node = self._snapshot.node(node_name)
        if node is None:
            self.problem.emit("Render node {!r} is no longer in scope".format(node_name))
            return False
        farm = replace(node.farm_settings, **changes)
        if farm == node.farm_settings:
            return True
        try:
            self._scene.set_farm_settings(node_name, farm)
        except (SceneError, OSError) as err:
            self.problem.emit("Could not write the farm settings of {}: {}".format(node_name, err))
            return False
        self._snapshot = self._snapshot.with_farm_settings(node_name, farm)
        self.scene_changed.emit(self._snapshot)
        self.schedule_plan()
        return True

    def save_scene(self):
        """Save the scene file (UI thread). Returns the path; raises SceneError."""
        path = self._scene.save()
        self._snapshot = self._scene.snapshot()
        self.scene_changed.emit(self._snapshot)
        return path

    # -- planning --------------------------------------------------------
    def schedule_plan(self):
        """Replan soon (several quick changes make one plan)."""
        if not self._closed:
            self._plan_timer.start()

    def request_plan(self):
        """Replan now, on a worker thread; ``plan_ready`` follows."""
        self._plan_timer.stop()
        if self._closed:
            return
        if self._plan_thread_busy:
            self._plan_again = True
            return
        self._plan_again = False
        self._plan_thread_busy = True
        self.planning.emit(True)
        self._generation += 1
        generation, snapshot, settings, data = self._generation, self._snapshot, self.settings, self._conductor
        self._bridge.run_in_thread(
            lambda: submission.prepare(snapshot, settings, data, generation=generation),
            self._on_plan_done,
            self._on_plan_error,
            name="ciokatana-ui-plan",
        )

    def _on_plan_done(self, result):
        self._plan_thread_busy = False
        self._accept(result)
        self._after_plan()

    def _on_plan_error(self, err):
        self._plan_thread_busy = False
        logger.error("Planning failed:\n%s", getattr(err, "ciokatana_traceback", err))
        self.plan_failed.emit("Planning failed ({}: {}); this is a bug, please report it".format(type(err).__name__, err))
        self._after_plan()

    def _after_plan(self):
        if self._plan_again:
            self.request_plan()
        elif not self.is_planning:
            self.planning.emit(False)

    def _accept(self, result):
        if self._result is None or result.generation >= self._result.generation:
            self._result = result
            self.plan_ready.emit(result)

    def prepare_submission(self):
        """Re-read the scene, then plan, validate and vet the mock file off the UI thread.

        ``submission_prepared`` (and ``plan_ready``) follow with the result.
        """
        if self._preparing:
            return
        try:
            self._snapshot = self._scene.snapshot()
        except SceneError as err:
            self.problem.emit("Could not read the scene: {}".format(err))
            return
        self.scene_changed.emit(self._snapshot)
        self._plan_timer.stop()
        self._preparing = True
        self.planning.emit(True)
        self._generation += 1
        generation, snapshot, settings, data = self._generation, self._snapshot, self.settings, self._conductor
        check = None
        if self.effective_mock_mode() == "use":
            path = settings.mock_file

            def check():
                if not path:
                    raise MockFileError("Use Mock is on but no mock file is chosen: pick one in Advanced")
                check_mock_file(path)

        self._bridge.run_in_thread(
            lambda: submission.prepare(snapshot, settings, data, check_mock=check, generation=generation),
            self._on_prepared,
            self._on_prepare_error,
            name="ciokatana-ui-prepare",
        )

    def _on_prepared(self, result):
        self._preparing = False
        self._accept(result)
        self._after_plan()
        self.submission_prepared.emit(result)

    def _on_prepare_error(self, err):
        self._preparing = False
        self._on_plan_error(err)
        self.submission_prepared.emit(None)

    # -- Conductor -------------------------------------------------------
    def connect_conductor(self, force=True):
        """Fetch projects, machines and software on a worker thread."""
        if self._conductor_busy or self._closed:
            return
        self._conductor_busy = True
        self.conductor_busy.emit()
        fetch = self._fetch
        self._bridge.run_in_thread(
            lambda: fetch(force=force),
            self._on_conductor_ready,
            self._on_conductor_error,
            name="ciokatana-ui-connect",
        )

    def _on_conductor_ready(self, data):
        self._conductor_busy = False
        self._conductor = data
        self._conductor_error = None
        self.conductor_ready.emit(data)
        self.schedule_plan()

    def _on_conductor_error(self, err):
        self._conductor_busy = False
        if isinstance(err, conductor_mod.ConductorError):
            message = str(err)
        else:
            message = "{}: {}".format(type(err).__name__, err)
        self._conductor_error = redact_text(message)
        self.conductor_failed.emit(self._conductor_error)

    # -- runs ------------------------------------------------------------
    def start_run(self, plan):
        """Start submitting a plan (or replaying/recording a mock); returns the Runner.

        Raises:
            SubmitError: a run is active, nothing to submit, or a bad mock setup.
        """
        try:
            spec = submission.SourceSpec.from_settings(
                self._settings, self.effective_mock_mode(), submit_factory=self._submit_factory,
                url=self._conductor.url if self._conductor is not None else None)
            if not spec.replay_file and not plan.payloads:
                raise SubmitError("No job can be built: see the Validation tab")
            source, recorder = submission.open_source(plan, spec)
        except (submission.SourceError, MockFileError, ValueError) as err:
            raise SubmitError(str(err))
        return self.start_source(source, recorder)

    def start_source(self, source, recorder=None):
        """Run any event source (see :class:`ciokatana.core.runner.Source`) as a submission.

        The Progress and Response tabs follow it like a real run. Used by
        :meth:`start_run`, and by benchmarks and hosts with their own source.
        Returns the started Runner.
        """
        if self._runner is not None:
            raise SubmitError("A submission is already running")
        if self._closed:
            raise SubmitError("The dialog is closing")
        runner = Runner(source, on_event=self._bridge.post_event, recorder=recorder)
        self._runner = runner
        runner.start()
        self.run_started.emit(runner)
        return runner

    def set_ui_busy(self, key, busy):
        """A widget is (no longer) busy applying run events; producers wait meanwhile."""
        self._bridge.set_consumer_busy(key, busy)

    def cancel_run(self):
        if self._runner is not None:
            self._runner.cancel()

    def raise_error(self):
        """Make the current mock job fail (mock replay only)."""
        if self._runner is not None and self._runner.can_raise_error:
            self._runner.raise_error()

    def _on_bridge_event(self, event):
        self.run_event.emit(event)
        if event.type == ev.DONE:
            self._check_run_finished()

    def _check_run_finished(self):
        runner = self._runner
        if runner is None or not runner.finished:  # 'done' comes after the runner has finished
            return
        self._last_runner = runner
        self._runner = None
        self.run_finished.emit(str(runner.state.value))

    # -- links -----------------------------------------------------------
    def job_link(self, jobid):
        url = self._conductor.url if self._conductor is not None else None
        return conductor_mod.dashboard_link(jobid, url)

    def open_url(self, url):
        self.url_opener(url)

    # -- closing ---------------------------------------------------------
    def shutdown(self):
        """Store changed settings, cancel any run, deliver nothing more.

        Safe to call twice. Worker threads still finishing are daemons whose
        results are dropped.
        """
        if self._closed:
            return
        if self._unsaved:  # never write (and dirty) a scene the artist did not change
            self.save_settings()
        self._closed = True
        self._plan_timer.stop()
        if self._runner is not None:
            self._runner.cancel()
        self._bridge.detach()
