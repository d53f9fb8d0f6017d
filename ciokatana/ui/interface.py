"""The controller interface: everything the dialog, its tabs and sections may call.

Layer: ui. :class:`AbstractController` writes down the one interface the
widgets depend on, grouped as settings, scene, plan, Conductor and run. The
dialog takes any implementation (:class:`~ciokatana.ui.controller.Controller`
is the real one; ``tests/ui/test_fake_controller.py`` drives the whole
dialog with a fake of about sixty lines, with no Conductor and no scene).

It is an abstract base class in the plain sense: members marked
``@abstractmethod`` must be implemented, and constructing a subclass that
misses one raises TypeError naming them. (Qt's metaclasses do not combine
with ``abc.ABCMeta`` on every binding, so the check is made here.) Members
with a body are optional features with a sensible default: a controller
without presets or stored history still runs the dialog.

Run bookkeeping is shared: an implementation starts a run with
:meth:`AbstractController.begin_run` and hands every event to
:meth:`AbstractController.deliver_event`, which applies it to the run's
:class:`~ciokatana.ui.runs.RunRecord` *before* the tabs hear of it, so all
of them read one account of the run.

Signals, by group:

- settings: ``settings_changed(Settings)``
- scene: ``scene_changed(SceneSnapshot)``, ``problem(str)``
- plan: ``plan_stale(bool)`` (True while settings or the scene changed
  since the shown plan; the tabs mark their figures "updating"),
  ``plan_ready(Prepared)``, ``plan_failed(str)``,
  ``submission_prepared(Prepared or None)``
- Conductor: ``conductor_busy()``, ``conductor_ready(ConductorData)``,
  ``conductor_failed(str)``
- run: ``run_started(RunRecord)``, ``run_event(Event)``,
  ``run_finished(RunRecord)``
"""

import abc

from ciokatana.core.settings import MOCK_MODES
from ciokatana.qt import QtCore, Signal

abstractmethod = abc.abstractmethod


def unimplemented(cls):
    """Names of the abstract members ``cls`` does not implement."""
    missing = []
    for name in dir(cls):
        member = getattr(cls, name, None)
        if getattr(member, "__isabstractmethod__", False):
            missing.append(name)
    return sorted(missing)


class AbstractController(QtCore.QObject):
    """What the dialog needs from a controller (see the module docstring)."""

    # settings
    settings_changed = Signal(object)
    # scene
    scene_changed = Signal(object)
    problem = Signal(str)
    # plan
    plan_stale = Signal(bool)
    plan_ready = Signal(object)
    plan_failed = Signal(str)
    submission_prepared = Signal(object)
    # Conductor
    conductor_busy = Signal()
    conductor_ready = Signal(object)
    conductor_failed = Signal(str)
    # run
    run_started = Signal(object)
    run_event = Signal(object)
    run_finished = Signal(object)

    def __init__(self, parent=None):
        missing = unimplemented(type(self))
        if missing:
            raise TypeError("{} does not implement {}".format(type(self).__name__, ", ".join(missing)))
        super().__init__(parent)
        self._runs = []
        self._run = None

    # -- settings ------------------------------------------------------------------
    @property
    @abstractmethod
    def settings(self):
        """A copy of the current :class:`~ciokatana.core.settings.Settings`."""

    @abstractmethod
    def update_settings(self, **changes):
        """Change settings by name (stored and replanned soon); True if anything changed.

        Raises:
            KeyError: a name that is not a setting.
        """

    @property
    def load_error(self):
        """Why stored settings could not be read (defaults are shown), or None."""
        return None

    @property
    def mock_feature(self):
        """Whether the mock controls are offered (``CIO_FEATURE_MOCK``)."""
        return False

    @property
    def md5_database(self):
        """ciocore's md5 cache (sqlite path) the upload estimate reads; "" for ciocore's default."""
        return ""

    def effective_mock_mode(self):
        """``off``, ``use`` or ``generate``; always ``off`` without the mock feature."""
        if not self.mock_feature:
            return "off"
        mode = self.settings.mock_mode
        return mode if mode in MOCK_MODES else "off"

    # Presets live in folders that may be on the network: ``presets``,
    # ``read_preset``, ``save_preset`` and ``delete_preset`` may block, so
    # widgets call them through :meth:`run_in_background`; only
    # ``apply_preset(preset, values)`` runs on the UI thread.
    def presets(self):
        """Saved presets (:class:`~ciokatana.core.presets.Preset`) to offer; none by default (may block)."""
        return []

    def preset_scopes(self):
        """Where presets can be saved here (``user``, ``show``)."""
        return []

    def read_preset(self, preset):
        """The settings a preset holds, as ``{name: value}`` (may block)."""
        raise NotImplementedError("this controller keeps no presets")

    def save_preset(self, name, scope, overwrite=False, settings=None):
        """Save ``settings`` (the current ones by default) as a preset; returns the Preset (may block).

        Raises ``PresetExists`` when the name is taken and ``overwrite`` is
        False, or the preset there is read-only.
        """
        raise NotImplementedError("this controller keeps no presets")

    def apply_preset(self, preset, values=None):
        """Put a preset's settings (``values`` as read by :meth:`read_preset`) into the current ones."""
        raise NotImplementedError("this controller keeps no presets")

    def delete_preset(self, preset):
        """Delete a preset (may block)."""
        raise NotImplementedError("this controller keeps no presets")

    def run_in_background(self, work, on_done, on_error=None):
        """Run ``work()`` off the UI thread; ``on_done(result)`` or ``on_error(exception)`` follows on it.

        For file and folder reads a widget must not wait for (presets,
        formatting a big payload, writing a file). This default runs it at
        once, for controllers with nothing slow to do.
        """
        try:
            result = work()
        except Exception as err:
            if on_error is None:
                raise
            on_error(err)
            return
        on_done(result)

    # -- scene ---------------------------------------------------------------------
    @property
    def scene(self):
        """The Scene port object (identity only: :func:`ciokatana.ui.find_dialog` uses it)."""
        return None

    @property
    @abstractmethod
    def snapshot(self):
        """The newest :class:`~ciokatana.core.scene.SceneSnapshot` (all Render nodes in scope)."""

    @abstractmethod
    def scene_state(self):
        """``(saved file path or "", has unsaved changes)``, read now. Raises SceneError."""

    @abstractmethod
    def save_scene(self):
        """Save the scene; returns the path. Raises SceneError."""

    @abstractmethod
    def set_node_farm(self, node_name, **changes):
        """Write a Render node's farm settings (overrides, frame_spec, scout_spec, chunk_size)."""

    def refresh_scene(self, force=False):
        """Read the scene again if it may have changed (``force``: read it anyway)."""

    @property
    def excluded_nodes(self):
        """Names of Render nodes in scope that the artist unticked (not submitted)."""
        return frozenset()

    def set_node_included(self, node_name, included):
        """Tick or untick a Render node for submission; False if not supported."""
        return False

    # -- plan ------------------------------------------------------------------------
    @property
    @abstractmethod
    def plan_result(self):
        """The newest :class:`~ciokatana.core.submission.Prepared`, or None before the first."""

    @property
    def plan_is_stale(self):
        """True while a change has not been planned and checked yet."""
        return False

    @property
    def is_planning(self):
        return self.plan_is_stale

    @abstractmethod
    def request_plan(self):
        """Plan now (off the UI thread); ``plan_ready`` follows."""

    @abstractmethod
    def prepare_submission(self, nodes=None):
        """Re-read the scene, plan and validate for a submission; ``submission_prepared`` follows.

        Args:
            nodes: submit only these Render nodes (resubmitting failed jobs);
                None for every ticked node.
        """

    # -- Conductor ---------------------------------------------------------------------
    @property
    def conductor_data(self):
        """The account's :class:`~ciokatana.core.conductor.ConductorData`, or None before Connect."""
        return None

    @property
    def conductor_error(self):
        return None

    @abstractmethod
    def connect_conductor(self, force=True):
        """Fetch the account's projects, machines and software off the UI thread."""

    def cancel_connect(self):
        """Stop waiting for a Connect that has not answered."""

    # -- run ---------------------------------------------------------------------------
    @abstractmethod
    def start_run(self, result, nodes=None):
        """Start submitting (or replaying) a prepared plan; returns the RunRecord.

        Raises:
            ciokatana.ui.controller.SubmitError: nothing to submit or a bad mock setup.
        """

    @abstractmethod
    def cancel_run(self):
        """Stop the current job and start no more."""

    def raise_error(self):
        """Fail the current job on purpose (mock replays only)."""

    def submission_is_current(self, result):
        """Whether a prepared ``result`` still matches the settings, nodes and scene shown now.

        The Submit sequence asks before it sends anything: a result checked
        before an edit is checked again rather than submitted.
        """
        return True

    def previous_submissions(self, result, nodes=None):
        """``[(title, jobid, when, this_session), ...]``: the jobs these payloads were already submitted as.

        ``when`` is a time.time() stamp; ``this_session`` is False for jobs
        known from the scene's stored history rather than this dialog.
        """
        return []

    def open_url(self, url):
        """Open a job link in the browser."""

    @property
    def is_running(self):
        return self._run is not None and not self._run.finished

    @property
    def current_run(self):
        """The RunRecord of the run in progress, or None."""
        return self._run if self.is_running else None

    @property
    def runs(self):
        """Every RunRecord since the dialog opened, oldest first."""
        return list(self._runs)

    @property
    def last_run(self):
        return self._runs[-1] if self._runs else None

    def begin_run(self, record):
        """Make ``record`` the current run and tell the tabs (implementations call this)."""
        self._run = record
        self._runs.append(record)
        self.run_started.emit(record)

    def deliver_event(self, event):
        """Apply a run event to the current RunRecord, then hand it to the tabs."""
        if self._run is not None:
            self._run.apply(event)
        self.run_event.emit(event)

    def end_run(self, state):
        """The run is over (its ``done`` was delivered and nothing more will come)."""
        record = self._run
        if record is None or record.finished:
            return
        record.finish(state)
        self.run_finished.emit(record)

    # -- closing -------------------------------------------------------------------------
    @property
    def closed(self):
        return False

    @abstractmethod
    def shutdown(self):
        """Store changed settings, cancel any run, deliver nothing more (safe to call twice)."""
