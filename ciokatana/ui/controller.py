"""The controller: the real implementation of the dialog's interface.

Layer: ui. :class:`Controller` implements
:class:`~ciokatana.ui.interface.AbstractController` over a Scene port,
ciocore and the submission runner. It owns the current
:class:`~ciokatana.core.settings.Settings`, the Conductor account data,
the newest plan, the presets and the runs; tabs read from it, call its
methods and listen to its signals. Nothing here builds widgets, so tests
drive a controller with no dialog.

Threads: scene reads and writes (``scene.snapshot()``,
``scene.set_farm_settings``, ``scene.store_settings``) happen on the UI
thread, as Katana requires. Planning (which resolves assets on disk),
validation, ``conductor.fetch`` and submissions run on worker threads; their
results come back through the :class:`~ciokatana.ui.bridge.Bridge`, the one
thread boundary and the one place that merges progress.

Planning: every change schedules a plan (120 ms after the last one). A
newer plan supersedes an older one: it starts at once (at most two plans
run together), and the older result is dropped if it arrives late. Until
the newest plan is shown, ``plan_stale`` is True and the tabs mark their
figures "updating", never "ready".

Settings are stored back through the scene 300 ms after the last change
(and at once on :meth:`Controller.shutdown`), so typing in a field does not
write the scene on every key press, yet nothing is lost when the dialog
closes.

Connect gives up after ``connect_timeout_s`` (60 s, or
``CIOKATANA_CONNECT_TIMEOUT``) with a reason, and can be cancelled; an
answer that arrives after that is ignored.
"""

import datetime
import logging
import os
import time
from dataclasses import fields, replace

from ciokatana.core import conductor as conductor_mod
from ciokatana.core import events as ev
from ciokatana.core import presets as presets_mod
from ciokatana.core import submission
from ciokatana.core.mock import MockFileError, MockReplay, check_mock_file
from ciokatana.core.redact import redact_text
from ciokatana.core.runner import Runner
from ciokatana.core.scene import SceneError
from ciokatana.core.settings import Settings
from ciokatana.core.wording import plain_error
from ciokatana.qt import QtCore, QtGui
from ciokatana.ui import session
from ciokatana.ui.bridge import DEFAULT_REFRESH_HZ, Bridge
from ciokatana.ui.interface import AbstractController
from ciokatana.ui.runs import RECORD, REPLAY, SUBMIT, SUBMITTED, MAY_EXIST, RunRecord, fingerprint

logger = logging.getLogger(__name__)

SETTING_NAMES = frozenset(f.name for f in fields(Settings))
MOCK_FLAG = "CIO_FEATURE_MOCK"
TIMEOUT_FLAG = "CIOKATANA_CONNECT_TIMEOUT"
DEFAULT_CONNECT_TIMEOUT_S = 60.0
MAX_PLAN_THREADS = 2
HISTORY_LIMIT = 200


class SubmitError(Exception):
    """A submission that cannot start; the message says why and what to do."""


def mock_feature_enabled(environ=None):
    """Whether ``CIO_FEATURE_MOCK`` asks for the mock controls."""
    value = (environ if environ is not None else os.environ).get(MOCK_FLAG, "")
    return value.strip().lower() in ("1", "true", "yes", "on")


def connect_timeout_from_env(environ=None):
    try:
        value = float((environ if environ is not None else os.environ).get(TIMEOUT_FLAG, ""))
    except ValueError:
        return DEFAULT_CONNECT_TIMEOUT_S
    return value if value > 0 else DEFAULT_CONNECT_TIMEOUT_S


def open_in_browser(url):
    """Open a URL with the desktop's browser (the default ``url_opener``)."""
    QtGui.QDesktopServices.openUrl(QtCore.QUrl(url))


# Planning a snapshot and choosing what runs are core.submission's
# (prepare, open_source), shared with the command line and Katana's batch.
def _prepare(generation, snapshot, settings, conductor_data, check_mock=None):
    return submission.prepare(snapshot, settings, conductor_data, check_mock=check_mock, generation=generation)


def _file_sizes(result):
    """``{path: bytes}`` of the files a plan uploads (worker thread: it stats every file)."""
    plan = result.plan
    if plan is None:
        return {}
    sizes = {}
    for path in set(plan.assets.files) | set(plan.extra_assets.files):
        try:
            sizes[path] = os.path.getsize(path)
        except OSError:
            pass
    return sizes


class Controller(AbstractController):
    """Scene, settings, Conductor data, planning and runs, for the dialog.

    Args:
        scene: a :class:`~ciokatana.core.scene.Scene`.
        parent: owning QObject.
        fetch: ``fetch(force=bool) -> ConductorData``; ciocore's by default.
        submit_factory: ciocore's ``Submit`` factory for the stock uploader
            (see :func:`ciokatana.core.submission.open_source`; tests and the
            sandbox mode use it to adjust the ciocore ``Submit``).
        url_opener: ``opener(url)``; opens the browser by default.
        mock_feature: show and honour the mock settings; by default from
            ``CIO_FEATURE_MOCK``.
        save_delay_ms / plan_delay_ms: debounce of storing and replanning.
        refresh_hz: how often progress is applied to the widgets.
        connect_timeout_s: how long Connect waits for Conductor.
        preset_store: a :class:`~ciokatana.core.presets.PresetStore`; the
            user's and the show's folders by default.
    """

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
        connect_timeout_s=None,
        preset_store=None,
    ):
        super().__init__(parent)
        self._scene = scene
        self._fetch = fetch or conductor_mod.fetch
        self._submit_factory = submit_factory
        self.url_opener = url_opener or open_in_browser
        self._mock_feature = mock_feature_enabled() if mock_feature is None else bool(mock_feature)
        self._presets = preset_store if preset_store is not None else presets_mod.PresetStore.default()
        self._load_error = None
        self._settings = self._load_settings()
        self._edits = 0  # every change to what a plan is made from (settings, nodes, scope)
        self._snapshot_revision = self._scene_revision()
        self._snapshot = scene.snapshot()
        self._excluded = set()
        self._stamps = {}  # plan generation -> (edits, scene revision, snapshot) it was made from
        self._result = None
        self._generation = 0
        self._requested = 0  # the newest plan asked for
        self._shown = 0  # the plan on screen
        self._plan_threads = 0
        self._plan_again = False
        self._preparing = False
        self._stale = False
        self._conductor = None
        self._conductor_error = None
        self._conductor_busy = False
        self._connect_attempt = 0
        self._runner = None
        self._last_runner = None
        self._runs = session.runs_for(scene)  # earlier runs of this scene in this session stay listed
        self._history = self._load_history()  # dicts: fingerprint, title, jobid, when, session
        self._file_sizes = {}  # of the files of the last prepared submission
        self._closed = False
        self._unsaved = False

        self._bridge = Bridge(self, refresh_hz=refresh_hz)
        self._save_timer = self._single_shot(save_delay_ms, self.save_settings)
        self._plan_timer = self._single_shot(plan_delay_ms, self.request_plan)
        timeout = connect_timeout_s if connect_timeout_s is not None else connect_timeout_from_env()
        self.connect_timeout_s = float(timeout)
        self._connect_timer = self._single_shot(int(self.connect_timeout_s * 1000), self._on_connect_timeout)
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
            self._load_error = "Stored Conductor settings could not be read ({}); defaults are shown".format(err)
            logger.warning(self._load_error)
            return Settings()

    # -- settings --------------------------------------------------------------
    @property
    def settings(self):
        """A copy of the current settings (change them with :meth:`update_settings`)."""
        return self._settings.copy()

    @property
    def load_error(self):
        return self._load_error

    @property
    def mock_feature(self):
        return self._mock_feature

    @property
    def md5_database(self) -> str:
        """ciocore's md5 cache the submission uses: the one ``submit_factory`` carries, else ciocore's ("")."""
        return getattr(self._submit_factory, "database_filepath", "") or ""

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
        self._edits += 1
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

    # presets
    def presets(self):
        return self._presets.list()

    def preset_scopes(self):
        return self._presets.scopes()

    def read_preset(self, preset):
        """The settings a preset holds (reads its file: call off the UI thread)."""
        loaded = self._presets.load(preset)
        return {k: v for k, v in loaded.items() if k in SETTING_NAMES}

    def save_preset(self, name, scope, overwrite=False, settings=None):
        """Save the settings as a preset (writes a file: call off the UI thread, with ``settings``)."""
        return self._presets.save(name, scope, settings if settings is not None else self._settings.copy(),
                                  overwrite=overwrite)

    def apply_preset(self, preset, values=None):
        """Load a preset: its settings replace the current ones (mock settings are kept)."""
        changes = self.read_preset(preset) if values is None else dict(values)
        self.update_settings(**changes)
        return changes

    def delete_preset(self, preset):
        self._presets.delete(preset)

    def run_in_background(self, work, on_done, on_error=None):
        """Run ``work()`` on a worker thread; its outcome comes back on the UI thread (nothing after closing)."""
        self._bridge.run_in_thread(work, on_done, on_error, name="ciokatana-ui-task")

    # -- scene -----------------------------------------------------------------
    @property
    def scene(self):
        return self._scene

    @property
    def snapshot(self):
        return self._snapshot

    def scene_state(self):
        return self._scene.katana_file(), self._scene.is_dirty()

    def _scene_revision(self):
        """The scene's change token (see ``Scene.revision``), or None when it cannot tell."""
        revision = getattr(self._scene, "revision", None)
        if revision is None:
            return None
        try:
            return revision()
        except Exception as err:  # a host's scene port: an unknown token means "read again"
            logger.debug("Scene.revision failed: %s", err)
            return None

    def scene_may_have_changed(self):
        """Whether the scene may differ from the snapshot shown (cheap: no scene read).

        True when the scene's change token moved since the snapshot was read,
        or when the scene cannot tell (then only reading it again can).
        """
        revision = self._scene_revision()
        return revision is None or revision != self._snapshot_revision

    def _read_snapshot(self):
        """Read the scene (UI thread); returns the snapshot and the revision it was read at."""
        revision = self._scene_revision()  # before reading: a change during the read moves it on
        return self._scene.snapshot(), revision

    def refresh_scene(self, force=False):
        """Read the scene again (UI thread) if it may have changed, and replan if it did.

        A Katana scene reports changes through its events, so showing a tab
        does not re-read (and re-scrape) a scene nobody touched; ``force``
        reads it anyway. Returns True when the snapshot changed.
        """
        if not force and not self.scene_may_have_changed():
            return False
        try:
            snapshot, revision = self._read_snapshot()
        except SceneError as err:
            self.problem.emit("Could not read the scene: {}".format(err))
            return False
        self._snapshot_revision = revision
        if snapshot == self._snapshot:
            return False
        self._snapshot = snapshot
        self._edits += 1
        self.scene_changed.emit(self._snapshot)
        self.schedule_plan()
        return True

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
        self._edits += 1
        self.scene_changed.emit(self._snapshot)
        self.schedule_plan()
        return True

    def save_scene(self):
        """Save the scene file (UI thread). Returns the path; raises SceneError."""
        path = self._scene.save()
        self._snapshot, self._snapshot_revision = self._read_snapshot()
        self.scene_changed.emit(self._snapshot)
        return path

    @property
    def excluded_nodes(self):
        return frozenset(self._excluded)

    def set_node_included(self, node_name, included):
        """Tick (submit) or untick (leave out) a Render node, for this dialog session."""
        if self._snapshot.node(node_name) is None:
            return False
        before = set(self._excluded)
        if included:
            self._excluded.discard(node_name)
        else:
            self._excluded.add(node_name)
        if self._excluded != before:
            self._edits += 1
            self.scene_changed.emit(self._snapshot)
            self.schedule_plan()
        return True

    def _scoped(self, snapshot, nodes=None):
        """The snapshot with only the nodes to submit (ticked ones, or ``nodes``)."""
        if nodes is not None:
            wanted = set(nodes)
            kept = tuple(n for n in snapshot.nodes if n.name in wanted)
        else:
            kept = tuple(n for n in snapshot.nodes if n.name not in self._excluded)
        return snapshot if len(kept) == len(snapshot.nodes) else replace(snapshot, nodes=kept)

    # -- planning --------------------------------------------------------------
    @property
    def plan_result(self):
        """The newest :class:`~ciokatana.core.submission.Prepared` shown, or None before the first."""
        return self._result

    @property
    def plan_is_stale(self):
        return self._stale

    def _update_stale(self):
        stale = (self._plan_timer.isActive() or self._requested > self._shown or self._preparing) and not self._closed
        if stale != self._stale:
            self._stale = stale
            self.plan_stale.emit(stale)

    def schedule_plan(self):
        """Replan soon (several quick changes make one plan); the shown plan is stale meanwhile."""
        if not self._closed:
            self._plan_timer.start()
            self._update_stale()

    def request_plan(self):
        """Replan now, on a worker thread; ``plan_ready`` follows (unless a newer plan overtakes it)."""
        self._plan_timer.stop()
        if self._closed:
            return
        if self._plan_threads >= MAX_PLAN_THREADS:
            self._plan_again = True  # started as soon as a thread is free
            self._update_stale()
            return
        self._plan_again = False
        self._generation += 1
        generation = self._requested = self._generation
        snapshot, settings, data = self._scoped(self._snapshot), self.settings, self._conductor
        self._stamp(generation)
        self._plan_threads += 1
        self._update_stale()
        self._bridge.run_in_thread(
            lambda: _prepare(generation, snapshot, settings, data),
            self._on_plan_done,
            lambda err: self._on_plan_error(err, generation),
            name="ciokatana-ui-plan",
        )

    def _on_plan_done(self, result):
        self._plan_threads -= 1
        self._accept(result)
        self._after_plan()

    def _on_plan_error(self, err, generation):
        self._plan_threads -= 1
        self._report_plan_error(err, generation)
        self._after_plan()

    def _report_plan_error(self, err, generation):
        logger.error("Planning failed:\n%s", getattr(err, "ciokatana_traceback", err))
        if generation >= self._requested:
            self._shown = generation
            self.plan_failed.emit("Planning failed ({}: {}); this is a bug, please report it".format(
                type(err).__name__, err))

    def _after_plan(self):
        if self._plan_again:
            self.request_plan()
        self._update_stale()

    def _accept(self, result):
        """Show a plan unless a newer one was asked for (a superseded plan is dropped)."""
        if result.generation < self._requested and self._result is not None:
            return False
        if self._result is not None and result.generation < self._result.generation:
            return False
        self._result = result
        self._shown = max(self._shown, result.generation)
        self.plan_ready.emit(result)
        return True

    def prepare_submission(self, nodes=None):
        """Re-read the scene, then plan, validate and vet the mock file off the UI thread.

        ``submission_prepared`` follows with the result; a plan of every
        ticked node also becomes the plan shown (``plan_ready``).
        """
        if self._preparing:
            return
        if self._save_timer.isActive():
            self.save_settings()  # a pending settings write lands before the check, not during it
        try:
            snapshot, revision = self._read_snapshot()
        except SceneError as err:
            self.problem.emit("Could not read the scene: {}".format(err))
            self.submission_prepared.emit(None)
            return
        if snapshot != self._snapshot:
            self._edits += 1
        self._snapshot, self._snapshot_revision = snapshot, revision
        self.scene_changed.emit(self._snapshot)
        self._plan_timer.stop()
        self._preparing = True
        self._generation += 1
        generation = self._generation
        self._stamp(generation)
        shown = nodes is None
        if shown:
            self._requested = generation
        snapshot, settings, data = self._scoped(self._snapshot, nodes), self.settings, self._conductor
        self._update_stale()
        check = None
        if self.effective_mock_mode() == "use":
            path = settings.mock_file

            def check():
                if not path:
                    raise MockFileError("Use Mock is on but no mock file is chosen: pick one in Advanced")
                check_mock_file(path)

        def work():
            result = _prepare(generation, snapshot, settings, data, check_mock=check)
            return result, _file_sizes(result)

        self._bridge.run_in_thread(
            work,
            lambda outcome: self._on_prepared(outcome, shown),
            lambda err: self._on_prepare_error(err, generation),
            name="ciokatana-ui-prepare",
        )

    def _stamp(self, generation):
        """Remember what plan ``generation`` is made from, to tell later whether it still holds."""
        self._stamps[generation] = (self._edits, self._snapshot_revision, self._snapshot)
        for old in [g for g in self._stamps if g < generation - 8]:
            del self._stamps[old]

    def submission_is_current(self, result):
        """Whether ``result`` was planned from exactly the settings, nodes and scene there are now.

        False once anything changed since its check began (an edit typed
        while "Checking the submission..." ran, a node ticked, the scene
        changed in Katana): submitting it would send something other than
        what the dialog shows, so the Submit sequence checks again. A scene
        that cannot report its changes is read again to compare.
        """
        stamp = self._stamps.get(getattr(result, "generation", None))
        if stamp is None or self._closed:
            return False
        edits, revision, snapshot = stamp
        if edits != self._edits:
            return False
        now = self._scene_revision()
        if now is not None and revision is not None:
            return now == revision
        try:
            fresh = self._scene.snapshot()
        except SceneError:
            return False
        return fresh == snapshot

    def _on_prepared(self, outcome, shown):
        result, self._file_sizes = outcome
        self._preparing = False
        if shown:
            self._accept(result)
        self._after_plan()
        self.submission_prepared.emit(result)

    def _on_prepare_error(self, err, generation):
        self._preparing = False
        self._report_plan_error(err, generation)
        self._after_plan()
        self.submission_prepared.emit(None)

    # -- Conductor ---------------------------------------------------------------
    @property
    def conductor_data(self):
        return self._conductor

    @property
    def conductor_error(self):
        return self._conductor_error

    def connect_conductor(self, force=True):
        """Fetch projects, machines and software on a worker thread (gives up after the timeout)."""
        if self._conductor_busy or self._closed:
            return
        self._connect_attempt += 1
        attempt = self._connect_attempt
        self._conductor_busy = True
        self.conductor_busy.emit()
        fetch = self._fetch
        self._bridge.run_in_thread(
            lambda: fetch(force=force),
            lambda data: self._on_conductor_ready(data, attempt),
            lambda err: self._on_conductor_error(err, attempt),
            name="ciokatana-ui-connect",
        )
        self._connect_timer.start()

    def cancel_connect(self):
        """Stop waiting for Conductor; the dialog shows why and offers Retry."""
        if self._conductor_busy:
            self._connect_failed("connecting was cancelled; the lists keep the stored choices")

    def _on_connect_timeout(self):
        if self._conductor_busy:
            self._connect_failed(
                "Conductor did not answer within {:g} s: the service may be unreachable or busy; "
                "Retry, or check the network and CONDUCTOR_URL".format(self.connect_timeout_s))

    def _connect_failed(self, message):
        self._connect_attempt += 1  # whatever the abandoned fetch answers later is ignored
        self._conductor_busy = False
        self._connect_timer.stop()
        self._conductor_error = message
        self.conductor_failed.emit(message)

    def _on_conductor_ready(self, data, attempt):
        if attempt != self._connect_attempt:
            return
        self._conductor_busy = False
        self._connect_timer.stop()
        self._conductor = data
        self._conductor_error = None
        self.conductor_ready.emit(data)
        self.schedule_plan()

    def _on_conductor_error(self, err, attempt):
        if attempt != self._connect_attempt:
            return
        if isinstance(err, conductor_mod.ConductorError):
            message = str(err)
        else:
            message = "{}: {}".format(type(err).__name__, err)
        self._connect_failed(plain_error(redact_text(message)))

    # -- runs --------------------------------------------------------------------
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

    def worker_threads(self):
        """Background threads of this controller still running (planning, fetches, the runner)."""
        return self._bridge.worker_threads()

    @property
    def busy(self):
        """Whether any background work (a worker or a run) is unfinished."""
        runner = self._runner
        return bool(self._bridge.worker_threads()) or (runner is not None and not runner.finished)

    def _jobs_to_submit(self, result, nodes=None):
        jobs = [job for job in result.jobs if job.payload is not None]
        if nodes is not None:
            wanted = set(nodes)
            jobs = [job for job in jobs if job.name in wanted]
        return jobs

    def start_run(self, result, nodes=None):
        """Start submitting a prepared plan (or replaying/recording a mock); returns the RunRecord.

        Raises:
            SubmitError: a run is active, nothing to submit, or a bad mock setup.
        """
        settings = self._settings
        mode = self.effective_mock_mode()
        number = len(self._runs) + 1
        try:
            spec = submission.SourceSpec.from_settings(
                settings, mode, submit_factory=self._submit_factory,
                url=self._conductor.url if self._conductor is not None else None)
            if mode == "use":
                source, recorder = submission.open_source([], spec)
                record = RunRecord(number, REPLAY, mock_file=settings.mock_file, can_raise_error=True)
            else:
                jobs = self._jobs_to_submit(result, nodes)
                if not jobs:
                    raise SubmitError("No job can be built: see the Validation tab")
                source, recorder = submission.open_source([job.payload for job in jobs], spec,
                                                          secret_values=result.plan.secret_values)
                record = RunRecord(
                    number,
                    RECORD if mode == "generate" else SUBMIT,
                    planned=[(job.name, job.title, job.payload) for job in jobs],
                    mock_file=settings.mock_file if mode == "generate" else "",
                    link_for=self.job_link,
                    known_files=result.file_count,
                    known_bytes=result.total_size,
                )
                record.file_sizes = dict(self._file_sizes)
        except (submission.SourceError, MockFileError, ValueError, OSError) as err:
            raise SubmitError(str(err))
        self.start_source(source, recorder, record)
        return record

    def start_source(self, source, recorder=None, record=None):
        """Run any event source (see :class:`ciokatana.core.runner.Source`) as a submission.

        The Progress and Response tabs follow it like a real run. Used by
        :meth:`start_run`, and by benchmarks and hosts with their own source.
        Returns the started Runner.
        """
        if self.is_running or self._runner is not None:
            raise SubmitError("A submission is already running")
        if self._closed:
            raise SubmitError("The dialog is closing")
        if record is None:
            mock = isinstance(source, MockReplay)
            record = RunRecord(len(self._runs) + 1, REPLAY if mock else SUBMIT,
                               mock_file=getattr(source, "path", "") if mock else "",
                               link_for=None if mock else self.job_link,
                               can_raise_error=bool(source.supports_raise_error))
        runner = Runner(source, on_event=self._bridge.post_event, recorder=recorder)
        self._runner = runner
        self.begin_run(record)
        session.trim(self._runs)
        runner.start()
        return runner

    def cancel_run(self):
        if self._runner is not None:
            self._runner.cancel()

    def raise_error(self):
        """Make the current mock job fail (mock replay only)."""
        if self._runner is not None and self._runner.can_raise_error:
            self._runner.raise_error()

    def _on_bridge_event(self, event):
        self.deliver_event(event)
        if event.type == ev.DONE:
            self._check_run_finished()

    def _check_run_finished(self):
        runner = self._runner
        if runner is None or not runner.finished:  # 'done' comes after the runner has finished
            return
        self._last_runner = runner
        self._runner = None
        record = self._run
        if record is not None and record.mode != REPLAY:
            self._remember(record)
        self.end_run(runner.state)

    # -- history -------------------------------------------------------------------
    def _load_history(self):
        """Jobs submitted from this scene before: as the scene keeps them, and this session's earlier runs."""
        try:
            stored = self._scene.load_history()
        except (SceneError, OSError, AttributeError, TypeError, ValueError) as err:
            logger.warning("Could not read the scene's submission history: %s", err)
            stored = []
        ours = {(e["fingerprint"], e["jobid"]): e for e in self._session_entries()}
        history = []
        for entry in stored or []:
            try:
                when = datetime.datetime.strptime(str(entry.get("submitted_at")), "%Y-%m-%dT%H:%M:%S")
                stamp = time.mktime(when.timetuple())
            except ValueError:
                stamp = 0.0
            item = {"fingerprint": str(entry.get("fingerprint") or ""), "title": str(entry.get("title") or ""),
                    "jobid": str(entry.get("jobid") or ""), "when": stamp, "session": False}
            mine = ours.pop((item["fingerprint"], item["jobid"]), None)
            if mine is not None:  # submitted earlier in this session
                item.update(session=True, when=mine["when"])
            history.append(item)
        history.extend(ours.values())  # this session's jobs the scene did not keep
        return history

    def _session_entries(self):
        """History entries of the jobs of this scene's earlier runs in this session."""
        entries = []
        for record in self._runs:
            if record.mode == REPLAY:
                continue
            for job in record.jobs:
                if job.state in (SUBMITTED, MAY_EXIST) and job.fingerprint:
                    entries.append({"fingerprint": job.fingerprint, "title": job.title, "session": True,
                                    "jobid": job.jobid if job.state == SUBMITTED else "",
                                    "when": record.finished_at or record.started_at})
        return entries

    def _remember(self, record):
        now = time.time()
        for job in record.jobs:
            if job.state in (SUBMITTED, MAY_EXIST) and job.fingerprint:
                self._history.append({"fingerprint": job.fingerprint, "title": job.title, "session": True,
                                      "jobid": job.jobid if job.state == SUBMITTED else "", "when": now})
        kept = self._history[-HISTORY_LIMIT:]
        stored = [{"fingerprint": e["fingerprint"], "title": e["title"], "jobid": e["jobid"],
                   "submitted_at": datetime.datetime.fromtimestamp(e["when"]).replace(microsecond=0).isoformat()}
                  for e in kept]
        try:
            self._scene.store_history(stored)
        except (SceneError, OSError) as err:
            self.problem.emit("Could not keep the submission history with the scene: {}".format(err))

    def previous_submissions(self, result, nodes=None):
        """Earlier jobs with exactly these payloads, since the dialog opened or per the scene's history.

        Returns ``[(title, jobid, when, this_session), ...]``.
        """
        if not self._history or result is None or self.effective_mock_mode() == "use":
            return []
        scoped = self._jobs_to_submit(result, nodes)
        prints = {fingerprint(job.payload) for job in scoped}
        return [(e["title"], e["jobid"], e["when"], e["session"]) for e in self._history if e["fingerprint"] in prints]

    # -- links -------------------------------------------------------------------
    def job_link(self, jobid):
        url = self._conductor.url if self._conductor is not None else None
        return conductor_mod.dashboard_link(jobid, url)

    def open_url(self, url):
        self.url_opener(url)

    # -- closing -------------------------------------------------------------------
    @property
    def closed(self):
        return self._closed

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
        self._connect_timer.stop()
        if self._runner is not None:
            self._runner.cancel()
        record = self._run
        if record is not None and not record.finished:
            # Closed before the run's end arrived (a hung request): it stays listed, as cut short.
            record.finish("cancelled")
        self._bridge.detach()
