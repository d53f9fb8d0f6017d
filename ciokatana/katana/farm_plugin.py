"""Conductor as a Katana render farm: ``ConductorFarmPlugin(FarmAPI.BaseFarmPlugin)``.

Layer: katana. Katana (4.0+) loads it from ``Plugins/ConductorFarmPlugin.py``
of a resource root (written by ``ciokatana install``, shipped in
``ciokatana/katana/resources``), whose ``PluginRegistry`` holds
``("FarmPlugin", 2.0, "Conductor", ConductorFarmPlugin)``. The artist then
picks **Conductor** for a Disk Render in Katana's render menus, and Katana's
job list and Render Log tab show Conductor's jobs.

Method names and signatures are those of the ``types-katana==5.0.5.0`` stubs
(``PyUtilModule/FarmAPI/BaseFarmPlugin.pyi``); the flow is the one of
Katana's "Render Farm Plug-ins" guide:

1. ``createTemporaryDirectory(renderContextName)``: a folder on the artist's
   machine, ``<farm dir>/renders/<renderContextName>`` (farm dir:
   ``$CIOKATANA_FARM_DIR``, else ``~/.cache/ciokatana/farm``). Conductor
   uploads what is in it, and render nodes see every uploaded file at its
   own path (drive letter removed, forward slashes), which is how it is
   "accessible by both the artist's workstation and the render node".
2. ``copyRenderFiles(filenames, renderContextName)``: copies Katana's render
   files there and returns the paths a render node sees.
3. ``getRemoteInstallationMetadata()`` / ``getEnvironmentForJob(...)``: from
   the Katana and renderer packages chosen in the ConductorRender node.
4. ``submitJob(jobRequest)``: the one submission pipeline of the dialog, the
   command line and ``katana.batch.submit``
   (:mod:`ciokatana.core.submission`): on a worker thread,
   :func:`~ciokatana.core.submission.prepare` plans and validates the node
   with the request's frames (settings from the ConductorRender node), and
   :func:`~ciokatana.core.submission.open_source` with
   ``SourceSpec.from_settings`` sends it (the node's uploader and timeout:
   the shared upload by default, its stall and "may have been created"
   answers) on a :class:`~ciokatana.core.runner.Runner`. Katana's commands
   replace the task template; the request's frames are chunked by the
   node's chunk size. A node with Graph State Variable sets submits the
   one set this render is for (:func:`choose_var_set`). Returns Conductor's
   job id, or a local id while the files still upload (see
   :mod:`ciokatana.core.remote_render`: Katana is never held for an upload
   longer than ``$CIOKATANA_FARM_SUBMIT_WAIT`` s, default 2).
5. ``getJobs``, ``getJobState``, ``getRenderLogFilename``, ``stopJob``,
   ``startJob``: through :class:`ciokatana.core.jobs.JobService` (ciocore's
   API client; each request limited to ``$CIOKATANA_FARM_TIMEOUT`` s,
   default 10, and Katana's thread held at most ``$CIOKATANA_FARM_WAIT`` s,
   default 2, the request going on in the background) and
   :class:`ciokatana.core.remote_render.RemoteRenders`.

Job states (``Job.State``) from Conductor statuses
(:data:`ciokatana.core.jobs.STATE_OF_STATUS`):

==========================================  ===============
Conductor job status                        Job.State
==========================================  ===============
(files still uploading), pending, holding,  kWaiting
preempted, any status not recognised
running                                     kRunning
success                                     kCompleted
failed; a submission Conductor refused;     kFailed
no answer to the creation request ("may
have been created") until Conductor's job
list shows the job (then followed as above)
killed; stopped while uploading             kCancelled
==========================================  ===============

What Conductor cannot do is refused with a ``FarmPluginException`` saying
why: Preview and Live Renders (a cloud render node cannot reach the
artist's Catalog Server to send pixels back). A ``JobRequest`` does not name
its render type, so it is read from Katana's commands: one that mentions
``previewRender`` or ``liveRender`` (the render method types Katana's
``RenderManager`` uses) is refused. That reading is a guess at the
renderboot command line; a request that names neither is treated as a
Disk Render.

Frames and commands. How Katana's commands relate to the request's frames
is not documented. ``submitJob`` handles three shapes: one command per frame
(the tasks run their frames' commands, chunked by the node's chunk size);
commands that all spell the request's frames in Katana's ``-t`` form
(``1-10``): that text is replaced by each chunk's frames; otherwise the
commands run in order in one task for all frames (the render log says the
chunk size could not be applied).

Restart (``startJob``): Conductor has no restart call; a finished job from
this session is submitted again as a new Conductor job (no file is uploaded
twice) and keeps its Katana id. A job that may have been created is never
sent again: the restart is refused with a pointer to the dashboard. Unknown ids raise ``JobNotFoundException``;
service errors and timeouts raise ``FarmPluginException`` with the reason.
Messages and log files never hold credentials.
"""

import logging
import os
import re
import shlex
import shutil
import time

from Katana import FarmAPI

from ciokatana.core import gsv
from ciokatana.core import jobs as jobs_mod
from ciokatana.core.command import posix_path
from ciokatana.core.remote_render import RemoteRenders, RestartError, SubmitError, UnknownJob
from ciokatana.katana import constants as C

logger = logging.getLogger(__name__)

FARM_NAME = "Conductor"
FARM_DIR_ENV = "CIOKATANA_FARM_DIR"
#: Render-file folders older than this many days are removed when the plug-in starts.
KEEP_DAYS = 7

#: Findings that do not apply to a farm render: Katana serialises the scene
#: into its render files, and its commands replace the task template.
NOT_FOR_FARM_RENDERS = ("unsaved_scene", "unsaved_changes", "scene_file_missing", "bad_task_template")

_PREVIEW = re.compile(r"(?<![A-Za-z])(previewrender|liverender)(?![A-Za-z])", re.IGNORECASE)

_STATE_NAMES = {
    jobs_mod.WAITING: "kWaiting",
    jobs_mod.RUNNING: "kRunning",
    jobs_mod.COMPLETED: "kCompleted",
    jobs_mod.FAILED: "kFailed",
    jobs_mod.CANCELLED: "kCancelled",
}


def farm_dir():
    """Where render files and render logs go (``$CIOKATANA_FARM_DIR`` or ``~/.cache/ciokatana/farm``)."""
    folder = os.environ.get(FARM_DIR_ENV, "").strip()
    return os.path.abspath(os.path.expanduser(folder or os.path.join("~", ".cache", "ciokatana", "farm")))


def katana_state(state):
    """The ``FarmAPI.Job.State`` value of a :mod:`ciokatana.core.jobs` state."""
    return getattr(FarmAPI.Job.State, _STATE_NAMES[state])


def core_state(value):
    """The :mod:`ciokatana.core.jobs` state of a ``FarmAPI.Job.State`` value (None if unknown)."""
    for state, name in _STATE_NAMES.items():
        if getattr(FarmAPI.Job.State, name) == value:
            return state
    return None


def render_method_type(commands):
    """``"previewRender"``/``"liveRender"`` when Katana's commands name one, else ``""`` (guess)."""
    for command in commands or []:
        match = _PREVIEW.search(str(command))
        if match:
            return "previewRender" if match.group(1).lower() == "previewrender" else "liveRender"
    return ""


def _error(message):
    """A FarmPluginException for Katana to show; credentials are masked (ciocore errors may quote them)."""
    from ciokatana.core.redact import redact_text

    return FarmAPI.FarmPluginException("Conductor: {}".format(redact_text(str(message))))


class ConductorFarmPlugin(FarmAPI.BaseFarmPlugin):
    """Katana's render farm plug-in for Conductor (see the module docstring).

    Katana constructs it with no arguments. A pipeline (or a test) may set
    these attributes before the first call that talks to Conductor:

    Attributes:
        root: the farm dir (render files in ``renders/``, logs in ``logs/``).
        service: a :class:`~ciokatana.core.jobs.JobService` (default: one on
            ciocore; each request limited to ``$CIOKATANA_FARM_TIMEOUT`` s,
            default 10, and Katana's thread held at most
            ``$CIOKATANA_FARM_WAIT`` s, default 2).
        submit_factory: handed to :class:`~ciokatana.core.submission.SourceSpec`
            as the dialog's is (None: the settings' uploader with ciocore's
            defaults; :func:`~ciokatana.core.runner.conductor_submit_factory`
            with a database path to choose ciocore's md5 cache).
        submit_wait: seconds ``submitJob`` waits for Conductor's job id
            (default ``$CIOKATANA_FARM_SUBMIT_WAIT`` or 2).
        log_interval: seconds between render-log updates (default 5).
        state_ttl: seconds a job state read from Conductor is reused (default 2).
    """

    def __init__(self, root=None):
        from ciokatana.core.redact import install_log_redaction

        install_log_redaction()  # ciocore runs in this Katana process from here on, whatever else loaded
        self.root = os.path.abspath(root) if root else farm_dir()
        self.service = None
        self.submit_factory = None
        self.submit_wait = None
        self.log_interval = 5.0
        self.state_ttl = 2.0
        self._renders = None
        self._cleaned = False

    # -- pieces -------------------------------------------------------------------------------
    @property
    def renders(self):
        """The :class:`~ciokatana.core.remote_render.RemoteRenders` behind this plug-in."""
        if self._renders is None:
            from ciokatana.core import conductor

            if self.service is None:
                self.service = jobs_mod.JobService(check_credentials=conductor.check_credentials,
                                                   wait=jobs_mod.wait_from_env())
            self._renders = RemoteRenders(
                self.service, os.path.join(self.root, "logs"), project=self._project_or_none(),
                submit_factory=self.submit_factory, submit_wait=self.submit_wait, log_interval=self.log_interval,
                state_ttl=self.state_ttl)
        return self._renders

    def _project_or_none(self):
        try:
            return self._settings().project or None
        except FarmAPI.FarmPluginException:
            return None

    def _settings(self):
        """The submitter settings of the scene's ConductorRender node."""
        from ciokatana.core.settings import Settings
        from ciokatana.katana import settings_node

        node = settings_node.find_settings_node()
        if node is None:
            raise _error(
                "this scene has no {0} node, so it has no Conductor settings: open Util > Conductor once "
                "(it creates the node), choose the project, machine and Katana version, and render again".format(
                    C.NODE_TYPE))
        return Settings.from_dict(settings_node.read_settings(node))

    # -- job submission --------------------------------------------------------------------------
    def createTemporaryDirectory(self, renderContextName):
        """A new folder for this render's files (uploaded with the job); returns the path render nodes see.

        On Linux and macOS that is the local path itself; from Windows it is
        the same path with the drive letter removed and forward slashes.
        """
        folder = self._make_context_dir(renderContextName)
        return posix_path(folder)

    def _make_context_dir(self, renderContextName):
        folder = self._context_dir(renderContextName)
        self._clean_old_renders()
        try:
            if not os.path.isdir(folder):
                os.makedirs(folder)
        except OSError as err:
            raise _error("cannot create the render folder {} ({}); set {} to a folder you can write".format(
                folder, err.strerror or err, FARM_DIR_ENV))
        return folder

    def copyRenderFiles(self, filenames, renderContextName):
        """Copy Katana's render files into the render folder; return the paths render nodes see."""
        folder = self._make_context_dir(renderContextName)
        remote = []
        taken = set(os.listdir(folder))
        for index, source in enumerate(filenames or []):
            source = str(source)
            if not os.path.isfile(source):
                raise _error("Katana's render file {} does not exist, so it cannot be sent to Conductor; "
                             "start the render again".format(source))
            name = os.path.basename(source)
            if os.path.normcase(os.path.dirname(os.path.abspath(source))) == os.path.normcase(folder):
                dest = os.path.join(folder, name)
            else:
                if name in taken:
                    stem, ext = os.path.splitext(name)
                    name = "{}_{}{}".format(stem, index, ext)
                dest = os.path.join(folder, name)
                try:
                    shutil.copy2(source, dest)
                except OSError as err:
                    raise _error("cannot copy {} into {} ({})".format(source, folder, err.strerror or err))
            taken.add(name)
            remote.append(posix_path(dest))
        return remote

    def getRemoteInstallationMetadata(self):
        """Katana and renderer locations on the render node, from the chosen Conductor packages.

        ``katanaRoot``: ``KATANA_ROOT`` (else ``KATANA_HOME``) of the Katana
        package's environment. ``renderPluginDsoPaths``: ``<dir>/Libs`` for
        each ``KATANA_RESOURCES`` entry of the renderer packages (Katana
        loads render plug-ins from the ``Libs`` folder of a resource
        directory; a guess at how Conductor's renderer packages are laid
        out). ``renderbootCommand``: None, so Katana uses its own
        ``renderboot`` under ``katanaRoot``.
        """
        settings = self._settings()
        katana = settings.katana_package
        if katana is None:
            raise _error("no Katana version is chosen in the {} node: choose one (Configure > Software) "
                         "so render nodes run the right Katana".format(C.NODE_TYPE))
        env = {e.get("name"): e.get("value") for e in katana.environment if isinstance(e, dict)}
        root = env.get("KATANA_ROOT") or env.get("KATANA_HOME")
        if not root:
            raise _error("the Conductor package {!r} does not say where Katana is installed (no KATANA_ROOT "
                         "in its environment); choose another Katana version".format(katana.path))
        dso_paths = []
        for package in settings.renderer_packages:
            for entry in package.environment:
                if isinstance(entry, dict) and entry.get("name") == "KATANA_RESOURCES" and entry.get("value"):
                    for folder in str(entry["value"]).split(":"):
                        if folder and folder + "/Libs" not in dso_paths:
                            dso_paths.append(folder.rstrip("/") + "/Libs")
        return FarmAPI.BaseFarmPlugin.InstallationMetadata(root, dso_paths, None)

    def getEnvironmentForJob(self, renderContextName):
        """The render node's environment: the chosen packages' variables plus the extra ones."""
        from ciokatana.core.payload import build_environment

        try:
            return build_environment(self._settings())
        except ValueError as err:
            raise _error("the job's environment cannot be built: {}; fix the environment variables in "
                         "the {} node".format(err, C.NODE_TYPE))

    def submitJob(self, jobRequest):
        """Submit a Disk Render to Conductor; returns the id Katana keeps (see the module docstring)."""
        node_name = str(getattr(jobRequest, "nodeName", "") or "")
        context = str(getattr(jobRequest, "renderContextName", "") or "")
        commands = [str(c) for c in (getattr(jobRequest, "commands", None) or [])]
        frames = [int(f) for f in (getattr(jobRequest, "frames", None) or [])]
        environment = dict(getattr(jobRequest, "environment", None) or {})

        kind = render_method_type(commands)
        if kind:
            self._discard(context)
            raise _error(
                "a {0} cannot run on Conductor: it sends its pixels back to Katana's Catalog Server on "
                "your machine, which a cloud render node cannot reach. Send a Disk Render to Conductor "
                "instead and view the rendered images, or run the {0} on your own machine".format(
                    "Preview Render" if kind == "previewRender" else "Live Render"))
        if not commands:
            raise _error("Katana sent no render command for {}; start the render again".format(node_name))
        if not frames:
            raise _error("Katana sent no frame to render for {}; check the node's frame range".format(node_name))

        settings = self._settings()
        snapshot, var_set = self._snapshot(node_name, frames, settings, commands)
        local_dir = self._context_dir(context)
        prepare = _Preparation(snapshot, settings, node_name, frames, commands, environment,
                               local_dir, context)
        header = [
            "Katana node: {}   frames: {}".format(node_name, prepare.frames_text),
        ]
        if var_set:
            header.append("Graph State Variables: {}".format(gsv.format_var_set(var_set)))
        header += ["Katana commands ({}):".format(len(commands))] + ["  {}".format(c) for c in commands]
        spec = self._spec(settings)
        try:
            return self.renders.submit(prepare, title=node_name + gsv.title_suffix(var_set), header=header,
                                       context=context, spec=spec)
        except SubmitError as err:
            raise _error("{} was not submitted: {}".format(node_name + gsv.title_suffix(var_set), err))

    # -- information retrieval ---------------------------------------------------------------
    def getJobs(self, filters):
        """This session's Conductor renders and your recent jobs in the project, newest first.

        ``filters``' shape is not documented: any ``Job.State`` values in it
        keep only jobs in those states; other entries are ignored.
        """
        self.renders.project = self._project_or_none()
        states = set()
        for item in filters or []:
            state = core_state(item)
            if state is not None:
                states.add(state)
        infos = self._call(lambda: self.renders.jobs(states or None), "listing jobs")
        return [FarmAPI.Job(i.jobid, i.name, i.start_time, i.end_time, katana_state(i.state), i.log_path)
                for i in infos]

    def getJobState(self, jobId):
        """One of ``Job.State.kWaiting/kRunning/kCompleted/kFailed/kCancelled``."""
        return katana_state(self._call(lambda: self.renders.state(jobId), "reading the state", jobId))

    def getRenderLogFilename(self, jobId):
        """A local file with the job's task logs, growing while it runs."""
        return self._call(lambda: self.renders.log_path(jobId), "reading the render log", jobId)

    # -- job control ---------------------------------------------------------------------------
    def startJob(self, jobId):
        """Restart a finished job: submit it again as a new Conductor job (no re-upload)."""
        try:
            self._call(lambda: self.renders.restart(jobId), "restarting", jobId)
        except FarmAPI.JobNotFoundException:
            raise
        except RestartError as err:
            raise _error("cannot restart {}: {}".format(jobId, err))

    def stopJob(self, jobId):
        """Stop a job: cancel its upload, or have Conductor kill its tasks."""
        self._call(lambda: self.renders.stop(jobId), "stopping", jobId)

    # -- helpers ------------------------------------------------------------------------------
    def _call(self, fn, what, jobId=None):
        try:
            return fn()
        except UnknownJob as err:
            from ciokatana.core.redact import redact_text

            raise FarmAPI.JobNotFoundException(str(err.jobid), "Conductor: {}".format(redact_text(str(err))))
        except SubmitError as err:
            raise _error(str(err))
        except jobs_mod.JobServiceError as err:
            raise _error("{}{}: {}".format(what, " job {}".format(jobId) if jobId else "", err))

    def _context_dir(self, renderContextName):
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", str(renderContextName or "render")).strip("._") or "render"
        return os.path.join(self.root, "renders", name)

    def _discard(self, context):
        folder = self._context_dir(context)
        if context and os.path.isdir(folder):
            shutil.rmtree(folder, ignore_errors=True)

    def _clean_old_renders(self):
        if self._cleaned:
            return
        self._cleaned = True
        base = os.path.join(self.root, "renders")
        if not os.path.isdir(base):
            return
        limit = time.time() - KEEP_DAYS * 86400
        for name in os.listdir(base):
            path = os.path.join(base, name)
            try:
                if os.path.isdir(path) and os.path.getmtime(path) < limit:
                    shutil.rmtree(path, ignore_errors=True)
            except OSError:
                continue

    def _spec(self, settings):
        """How to send: the settings' uploader and timeout, as the dialog sends (``SourceSpec.from_settings``)."""
        from ciokatana.core import submission

        try:
            return submission.SourceSpec.from_settings(settings, submit_factory=self.submit_factory)
        except (submission.SourceError, TypeError, ValueError) as err:
            raise _error("the {} node's submission settings cannot be used: {}".format(C.NODE_TYPE, err))

    def _snapshot(self, node_name, frames, settings, commands=()):
        """The scene as the dialog reads it, with the node's frames set to the request's.

        Returns ``(snapshot, var_set)``: a node with Graph State Variable
        sets keeps only the set this render is for (:func:`choose_var_set`),
        so the plan holds exactly the one job Katana asked for.
        """
        from ciokatana.core.frames import katana_frames
        from ciokatana.core.plan import effective_farm_values
        from ciokatana.core.scene import FarmSettings, SceneError
        from ciokatana.katana.scene import KatanaScene

        try:
            snapshot = KatanaScene(nodes=[node_name]).snapshot()
        except SceneError as err:
            raise _error(str(err))
        node = snapshot.node(node_name)
        if node is None:
            raise _error("the scene has no Render node named {!r}".format(node_name))
        var_set = choose_var_set(node_name, node.farm_settings.var_sets, commands, graph_state())
        _over, _frames, scout, chunk = effective_farm_values(node, settings, snapshot)
        farm = FarmSettings(overrides=True, frame_spec=katana_frames(sorted(set(frames))),
                            scout_spec=scout, chunk_size=chunk, var_sets=(var_set,) if var_set else ())
        return snapshot.with_farm_settings(node_name, farm), var_set


def graph_state():
    """The project's Graph State Variables and their current values, or None when they cannot be read.

    Katana bakes these values into the render files of a render started
    from its menus (:func:`ciokatana.katana.gsv_check.project_variable_values`).
    """
    from ciokatana.katana import gsv_check

    return gsv_check.project_variable_values()


def _command_vars(commands):
    """``--var name=value`` arguments in Katana's commands, as a dict (empty when none)."""
    found = {}
    for command in commands or []:
        try:
            words = shlex.split(str(command))
        except ValueError:
            words = str(command).split()
        for index, word in enumerate(words):
            text = None
            if word == "--var" and index + 1 < len(words):
                text = words[index + 1]
            elif word.startswith("--var="):
                text = word[len("--var="):]
            if text and "=" in text:
                name, value = text.split("=", 1)
                found[name.strip()] = value
    return found


def choose_var_set(node_name, var_sets, commands=(), state=None):
    """The variable set of ``node_name`` a render request is for (``()`` when the node has none).

    A node with Conductor variable sets is several jobs in the dialog (one
    per set); a Disk Render from Katana's menus is one of them, the one
    whose values are the render's graph state. That state is read from
    ``--var name=value`` arguments in Katana's commands when there are any,
    else from the project's Graph State Variables (``state``, see
    :func:`graph_state`). The set whose every variable has its value there
    is chosen. A single set is used when the state cannot be read (nothing
    contradicts it). Otherwise (no set matches, several do, or the state of
    several sets cannot be told) a FarmPluginException names the choices:
    never silently the first.
    """
    var_sets = [tuple(s) for s in (var_sets or ()) if s]
    if not var_sets:
        return ()
    known = _command_vars(commands) or state
    if known is None:
        if len(var_sets) == 1:
            return var_sets[0]
        matches = []
    else:
        matches = [s for s in var_sets if all(name in known and str(known[name]) == str(value)
                                              for name, value in s)]
        if len(matches) == 1:
            return matches[0]
    choices = "; ".join(gsv.format_var_set(s) for s in var_sets)
    if known is None:
        why = "the render's Graph State Variables cannot be read here, so which one it is cannot be told"
    else:
        names = []  # type: list
        for var_set in var_sets:
            names.extend(n for n, _v in var_set if n not in names)
        current = ", ".join("{}={}".format(n, known[n]) if n in known else "{} unset".format(n) for n in names)
        why = "the render's Graph State Variables ({}) match {}".format(
            current, "none of them" if not matches else "several of them ({})".format(
                "; ".join(gsv.format_var_set(s) for s in matches)))
    raise _error(
        "{} has {} Conductor variable sets ({}) and {}. Set the project's Graph State Variables to the values "
        "of one set and render again, or submit every set from the Conductor dialog".format(
            node_name, len(var_sets), choices, why))


def katana_tasks(frames, commands, chunks):
    """Conductor tasks (``[{"command", "frames"}]``) for Katana's frames and commands.

    Args:
        frames: the request's frames (ints, in Katana's order).
        commands: Katana's commands.
        chunks: the frames in chunks (cioseq Sequences), as the node's chunk
            size cuts them.

    Returns ``(tasks, note)``; ``note`` says why the chunks could not be
    used, else ``""``. The three shapes are described in the module docstring.
    """
    from ciokatana.core import frames as fr

    ordered = sorted(set(frames))
    if len(commands) == len(frames) > 1:
        by_frame = {}  # type: dict
        for frame, command in zip(frames, commands):
            by_frame.setdefault(int(frame), []).append(command)
        return [{"command": " && ".join(c for f in chunk for c in by_frame.get(f, [])), "frames": str(chunk)}
                for chunk in chunks], ""
    spelled = fr.katana_frames(ordered)
    token = re.compile(r"(?<![\w-])" + re.escape(spelled) + r"(?![\w-])")
    if len(chunks) > 1 and all(token.search(c) for c in commands):
        return [{"command": " && ".join(token.sub(fr.katana_frames(chunk), c) for c in commands),
                 "frames": str(chunk)} for chunk in chunks], ""
    note = ""
    if len(chunks) > 1:
        note = ("Katana sent {} command(s) for {} frame(s) that do not name the frames one by one, so they "
                "run in order in one task; the chunk size could not be applied".format(len(commands), len(ordered)))
    return [{"command": " && ".join(commands), "frames": spelled}], note


class _Preparation(object):
    """Builds the payload of one farm render (runs on a worker thread: it reads the disk)."""

    def __init__(self, snapshot, settings, node_name, frames, commands, environment, local_dir, context):
        from ciokatana.core.frames import katana_frames

        self.snapshot = snapshot
        self.settings = settings.copy()
        self.node_name = node_name
        self.request_frames = list(frames)
        self.frames = sorted(set(frames))
        self.commands = commands
        self.environment = environment
        self.local_dir = local_dir
        self.context = context
        self.frames_text = katana_frames(self.frames)
        self.notes = []

    def __call__(self, note=lambda text: None):
        from ciokatana.core import conductor, submission
        from ciokatana.core.settings import DEFAULT_TASK_TEMPLATE
        from ciokatana.core.validation import ERROR

        # Katana's commands replace the task template, so a bad template must not stop a farm render.
        self.settings.task_template = DEFAULT_TASK_TEMPLATE
        try:  # never let ciocore fall back to a browser login from a render menu
            conductor.check_credentials()
        except conductor.ConductorError as err:
            raise SubmitError(str(err))
        prepared = submission.prepare(self.snapshot, self.settings)
        findings = [f for f in prepared.findings if f.rule not in NOT_FOR_FARM_RENDERS]
        errors = [f for f in findings if f.level == ERROR]
        if errors:
            raise SubmitError("{} error(s): {}".format(len(errors), "; ".join(str(f) for f in errors)))
        # The snapshot holds this node with at most the one variable set of
        # this render (see ConductorFarmPlugin._snapshot): one job.
        jobs = prepared.plan.jobs_of(self.node_name)
        job = jobs[0] if len(jobs) == 1 else None
        if job is None or job.payload is None:
            raise SubmitError("the job for {} could not be built: {}".format(
                self.node_name, "; ".join((job.problems if job else {}).values()) or "no payload"))
        payload = dict(job.payload)
        payload["tasks_data"] = self._tasks(job)
        render_files = []
        if os.path.isdir(self.local_dir):
            render_files = sorted(os.path.join(self.local_dir, n) for n in os.listdir(self.local_dir))
        payload["upload_paths"] = list(payload.get("upload_paths") or []) + render_files
        payload["environment"] = self._environment(payload.get("environment") or {})
        metadata = dict(payload.get("metadata") or {})
        metadata.update({"katana_node": self.node_name, "katana_render_context": self.context,
                         "submitter": "ciokatana farm plug-in"})
        payload["metadata"] = metadata
        for finding in findings:
            note("{}: {}".format(finding.level, finding))
        for text in self.notes:
            note(text)
        return payload

    def _tasks(self, job):
        from ciokatana.core import frames as fr

        tasks, note = katana_tasks(self.request_frames, self.commands, fr.chunks(job.frames, job.chunk_size))
        if note:
            self.notes.append(note)
        return tasks

    def _environment(self, base):
        env = dict(base)
        for name, value in self.environment.items():
            if name not in env:
                env[str(name)] = str(value)
        return env
