"""Renders handed to Conductor by a farm plug-in: submit, track, stop, restart.

Layer: core (no Qt, no Katana). :class:`RemoteRenders` is what the Katana
farm plug-in (:mod:`ciokatana.katana.farm_plugin`) delegates to; it knows
nothing of Katana's classes, only job ids, payloads, states
(:mod:`ciokatana.core.jobs`) and render-log files (:mod:`ciokatana.core.render_log`).

Submission goes through the same core path as the dialog: a payload built
by :func:`ciokatana.core.submission.prepare` (the caller's ``prepare``
callable, run on a worker thread here because planning reads the disk) and
sent by the core runner (:class:`~ciokatana.core.runner.Runner` on the
source :func:`ciokatana.core.submission.open_source` picks for the caller's
:class:`~ciokatana.core.submission.SourceSpec`: the settings' uploader and
timeout), whose events feed the render log (upload progress, the job id,
errors). :func:`start_submission` is the one place that starts it.

May have been created. When the job-creation request got no answer (the
runner's ``JobMayHaveBeenCreated`` error), the render is neither failed nor
created: it is listed as "may have been created", its state is failed
until Conductor's job list shows a job carrying its send's token
(metadata :data:`SUBMISSION_KEY`), which it then follows as its own; a
restart is refused (it would send a second job).

Job ids. Katana keeps the id ``submitJob`` returns. :meth:`RemoteRenders.submit`
waits up to ``submit_wait`` seconds for Conductor's answer: if the job is
created by then (small or already-uploaded files), the id is Conductor's job
id (``"00042"``); otherwise it is a local id (``"conductor-upload-1a2b3c4d"``)
that stands for the job while its files upload, so Katana's UI is never held
for an upload. Every method takes either form; a local id follows its
Conductor job once it exists. A failure that arrives within ``submit_wait``
raises :class:`SubmitError`; a later one puts the job in the failed state
with the reason in its render log.

Restart. Conductor's client library (ciocore) has no call that restarts or
retries a job or a task, and the service's other ``jobs_multi`` /
``tasks_multi`` actions are undocumented. So a restart submits the job's
payload again (its files are already on Conductor: nothing is uploaded
twice) as a new Conductor job; the Katana id then follows the new job, and
the render log says so. This needs the payload, so it works for jobs
submitted from this session; other jobs are refused with a message that
points to the dashboard.

State mapping (Conductor -> state): see :data:`ciokatana.core.jobs.STATE_OF_STATUS`;
a job still uploading is waiting, one whose submission failed is failed, one
stopped before it was created is cancelled.
"""

from __future__ import annotations

import calendar
import datetime
import getpass
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Dict, List, Optional

from ciokatana.core import events as ev
from ciokatana.core import jobs as jobs_mod
from ciokatana.core.render_log import DEFAULT_INTERVAL, LogFollower, RenderLog

if TYPE_CHECKING:  # for annotations; the functions below import it when they run
    from ciokatana.core.submission import SourceSpec

LOCAL_PREFIX = "conductor-upload-"
DEFAULT_SUBMIT_WAIT = 2.0
SUBMIT_WAIT_ENV = "CIOKATANA_FARM_SUBMIT_WAIT"
#: How many of the newest jobs around the session's own are listed.
RECENT_JOBS = 50
#: How long a job state read from Conductor is reused (seconds).
STATE_TTL = 2.0

# phases of a tracked render
PREPARING = "preparing"
UPLOADING = "uploading"
CREATED = "created"
REFUSED = "refused"
CANCELLED_EARLY = "cancelled"
#: The creation request was sent but no answer came (events.MAY_EXIST_TYPE):
#: Conductor may have created the job. Never resubmitted by a restart.
MAY_EXIST = "may_exist"
#: Metadata key carrying a token unique to each send of a payload, so a job
#: that may have been created can be found in Conductor's job list.
SUBMISSION_KEY = "ciokatana_submission"


class SubmitError(Exception):
    """Nothing was submitted (or Conductor refused it); the message says why and what to do."""


class RestartError(Exception):
    """The job cannot be restarted; the message says why and what to do."""


class UnknownJob(Exception):
    """No such job, here or on Conductor."""

    def __init__(self, jobid: str, message: str):
        super(UnknownJob, self).__init__(message)
        self.jobid = jobid


@dataclass
class JobInfo:
    """One job as a farm plug-in lists it."""

    jobid: str
    name: str
    start_time: int
    end_time: int
    state: str
    log_path: str = ""


@dataclass
class Render:
    """A render submitted from this session, under the id Katana knows it by."""

    katana_id: str
    title: str
    log: RenderLog
    submitted_at: float
    payload: Optional[dict] = None
    jid: Optional[str] = None
    runs: List[str] = field(default_factory=list)
    phase: str = PREPARING
    reason: str = ""
    finished_at: float = 0.0
    run_number: int = 1
    submission: object = None
    created: threading.Event = field(default_factory=threading.Event)
    follower: Optional[LogFollower] = None
    spec: Optional[SourceSpec] = None  # how it is sent (RemoteRenders.submit sets it)
    token: str = ""
    looked_up_at: float = 0.0

    @property
    def task_count(self) -> Optional[int]:
        if self.payload and isinstance(self.payload.get("tasks_data"), list):
            return len(self.payload["tasks_data"])
        return None


def submit_wait_from_env(default: float = DEFAULT_SUBMIT_WAIT) -> float:
    return jobs_mod.env_seconds(SUBMIT_WAIT_ENV, default, floor=0.0)


class _Submission(object):
    """A running core submission of one payload (cancel() stops it)."""

    def __init__(self, runner):
        self.runner = runner

    def cancel(self) -> None:
        self.runner.cancel()

    @property
    def finished(self) -> bool:
        return self.runner.finished


def start_submission(payload: dict, on_event: Callable[[ev.Event], None],
                     spec: Optional[SourceSpec] = None):
    """Submit one payload through the core runner on a worker thread.

    The same path the dialog and ``ciokatana submit`` take
    (:func:`ciokatana.core.submission.open_source`, then a
    :class:`~ciokatana.core.runner.Runner`): the shared upload, its
    timeouts and its "may have been created" answer; ciocore's own
    ``Submit`` when the spec's uploader (or a stand-in factory) asks for it.

    Args:
        payload: the job's payload.
        on_event: called with every event, from the runner's threads.
        spec: a :class:`~ciokatana.core.submission.SourceSpec` (the
            settings' uploader and timeout; its ``submit_factory`` for
            ciocore's md5 cache or a stand-in), or None (the defaults).

    Returns an object with ``cancel()``.
    """
    from ciokatana.core import submission
    from ciokatana.core.runner import Runner

    source, _recorder = submission.open_source([payload], spec or submission.SourceSpec())
    runner = Runner(source, on_event)
    runner.start()
    return _Submission(runner)


def _epoch(value) -> int:
    """Seconds since the epoch from an ISO time (``2024-03-18T10:42:07Z``), or 0."""
    if not value:
        return 0
    if isinstance(value, (int, float)):
        return int(value)
    text = str(value).strip().replace("Z", "")
    for form in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = datetime.datetime.strptime(text.split("+")[0], form)
        except ValueError:
            continue
        return calendar.timegm(parsed.timetuple())
    return 0


class RemoteRenders(object):
    """Every render this session handed to Conductor, plus the account's recent jobs.

    Args:
        service: a :class:`~ciokatana.core.jobs.JobService`.
        log_dir: where render-log files are written (``<id>.log``).
        project: list only jobs of this project (None: any).
        submit_factory: builds ciocore's ``Submit`` from a payload (tests and
            the md5 cache path); ciocore's by default.
        submit_wait: seconds :meth:`submit` waits for Conductor's job id.
        log_interval: seconds between render-log updates (and upload notes).
        starter: ``starter(payload, on_event, spec)`` with the render's
            :class:`~ciokatana.core.submission.SourceSpec`; default
            :func:`start_submission`.
        state_ttl: seconds a job state read from Conductor is reused (Katana
            may ask for states often; this keeps the requests modest).
    """

    def __init__(self, service, log_dir: str, project: Optional[str] = None, submit_factory=None,
                 submit_wait: Optional[float] = None, log_interval: float = DEFAULT_INTERVAL,
                 starter=None, state_ttl: float = STATE_TTL):
        self.service = service
        self.log_dir = os.path.abspath(log_dir)
        self.project = project
        self.submit_factory = submit_factory
        self.submit_wait = submit_wait_from_env() if submit_wait is None else float(submit_wait)
        self.log_interval = float(log_interval)
        self.state_ttl = float(state_ttl)
        self._starter = starter or start_submission
        self._lock = threading.RLock()
        self._renders: Dict[str, Render] = {}
        self._by_jid: Dict[str, Render] = {}
        self._cache: Dict[str, tuple] = {}  # jid -> (time read, job dict)
        self._followers: Dict[str, LogFollower] = {}
        self._user = _user()

    # -- submit ------------------------------------------------------------------------
    def submit(self, prepare: Callable[[], dict], title: str, header=(), context: str = "", spec=None) -> str:
        """Prepare a payload and submit it, off the caller's thread.

        Args:
            prepare: ``prepare(note)`` returns the payload (it runs on a worker
                thread: it may read the disk); ``note(text)`` adds a line to the
                render log (warnings); raises SubmitError to refuse
                (validation errors).
            title: a name for the job until the payload has its title.
            header: lines that open the render log.
            context: Katana's render context name (for the log).
            spec: the :class:`~ciokatana.core.submission.SourceSpec` to send
                with (the settings' uploader and timeout); its
                ``submit_factory`` defaults to this object's. None: the
                defaults with this object's ``submit_factory``.

        Returns the id Katana should keep (see the module docstring).
        Raises SubmitError when preparing or submitting fails within
        ``submit_wait`` seconds.
        """
        local_id = LOCAL_PREFIX + uuid.uuid4().hex[:8]
        log = RenderLog(os.path.join(self.log_dir, local_id + ".log"))
        render = Render(katana_id=local_id, title=title, log=log, submitted_at=time.time(),
                        spec=self._spec(spec))
        log.write("Conductor render: {}".format(title), *header)
        if context:
            log.write("Katana render context: {}".format(context))
        with self._lock:
            self._renders[local_id] = render
        worker = threading.Thread(target=self._prepare_and_send, args=(render, prepare),
                                  name="ciokatana-farm-submit", daemon=True)
        worker.start()
        render.created.wait(self.submit_wait)
        with self._lock:
            if render.phase == REFUSED:
                self._renders.pop(local_id, None)
                raise SubmitError(render.reason)
            if render.phase == MAY_EXIST:
                # Kept under its local id: Katana's job list shows it, and a
                # later state/list call adopts the job if Conductor has it.
                raise SubmitError(render.reason)
            if render.phase == CREATED and render.jid:
                return self._rename(render, render.jid)
        log.note("still uploading after {:g} s; Katana shows this render as {} until Conductor "
                 "creates the job".format(self.submit_wait, local_id))
        return local_id

    def _spec(self, spec):
        """The :class:`~ciokatana.core.submission.SourceSpec` a render is sent with (its factory defaults to ours)."""
        import dataclasses

        from ciokatana.core import submission

        if spec is None:
            return submission.SourceSpec(submit_factory=self.submit_factory)
        if not isinstance(spec, submission.SourceSpec):
            raise TypeError("spec must be a SourceSpec, not {}".format(type(spec).__name__))
        if spec.submit_factory is None and self.submit_factory is not None:
            spec = dataclasses.replace(spec, submit_factory=self.submit_factory)
        return spec

    def _rename(self, render: Render, new_id: str) -> str:
        """Give a render its Conductor job id as Katana id (called with the lock held)."""
        old = render.katana_id
        self._renders.pop(old, None)
        render.katana_id = new_id
        self._renders[new_id] = render
        return new_id

    def _prepare_and_send(self, render: Render, prepare) -> None:
        try:
            payload = prepare(render.log.note)
        except SubmitError as err:
            self._refuse(render, str(err))
            return
        except Exception as err:  # a bug or an unreadable scene: say so, never hang
            self._refuse(render, "could not prepare the job: {}: {}".format(type(err).__name__, err))
            return
        render.payload = payload
        render.title = str(payload.get("job_title") or render.title)
        self._send(render)

    def _send(self, render: Render) -> None:
        with self._lock:
            render.phase = UPLOADING
            render.created.clear()
            render.jid = None
            render.token = uuid.uuid4().hex
        payload = dict(render.payload)
        payload["metadata"] = dict(payload.get("metadata") or {}, **{SUBMISSION_KEY: render.token})
        render.log.note("submitting to Conductor: {} task(s), {} upload path(s)".format(
            len(render.payload.get("tasks_data") or []), len(render.payload.get("upload_paths") or [])))
        last_note = [0.0]

        def on_event(event):
            if event.type == ev.PROGRESS:
                now = time.time()
                if now - last_note[0] >= self.log_interval:
                    last_note[0] = now
                    render.log.note(_progress_text(event.data))
            elif event.type == ev.RESPONSE:
                self._created(render, event.data)
            elif event.type == ev.ERROR:
                self._failed(render, event)

        try:
            render.submission = self._starter(payload, on_event, render.spec)
        except Exception as err:
            self._refuse(render, "could not start the submission: {}".format(err))

    def _created(self, render: Render, data: dict) -> None:
        number = jobs_mod.jid(data.get("jobid", ""))
        with self._lock:
            if number is None:
                render.phase, render.reason = REFUSED, "Conductor answered without a job id: {}".format(
                    data.get("body") or data)
            else:
                render.jid = number
                render.runs.append(number)
                render.phase = CREATED
                self._by_jid[number] = render
        if number:
            render.log.note("Conductor job {} created (run {}): {}".format(
                number, render.run_number, data.get("uri") or ""))
            follower = self._followers.get(render.katana_id)
            if follower is not None:
                follower.start().poke()
        else:
            render.log.note(render.reason)
        render.created.set()

    def _stop_following(self, render: Render) -> None:
        """Nothing will reach Conductor for this run: its follower has nothing to wait for."""
        with self._lock:
            follower = self._followers.get(render.katana_id)
        if follower is not None and render.jid is None:
            follower.stop()

    def _failed(self, render: Render, event: ev.Event) -> None:
        message = str(event.data.get("exception") or event.data.get("body") or "submission failed")
        if event.is_cancel:
            phase, reason = CANCELLED_EARLY, "stopped before Conductor created the job"
        elif event.data.get("may_exist") or event.data.get("exception_type") == ev.MAY_EXIST_TYPE:
            phase, reason = MAY_EXIST, (
                "no answer came after the job was sent, so Conductor may have created it: check the "
                "dashboard before rendering again ({})".format(message))
        else:
            phase, reason = REFUSED, "Conductor did not create the job: {}".format(message)
        self._end(render, phase, reason, reason)

    def _refuse(self, render: Render, reason: str) -> None:
        self._end(render, REFUSED, reason, "not submitted: {}".format(reason))

    def _end(self, render: Render, phase: str, reason: str, note: str) -> None:
        """A run that ends without a job: the render log says why before the state shows it."""
        render.log.note(note)
        with self._lock:
            render.phase, render.reason = phase, reason
            render.finished_at = time.time()
        self._stop_following(render)
        render.created.set()

    # -- lookups -------------------------------------------------------------------------
    def find(self, jobid: str) -> Optional[Render]:
        key = str(jobid)
        with self._lock:
            render = self._renders.get(key)
            if render is None and jobs_mod.jid(key):
                render = self._by_jid.get(jobs_mod.jid(key))
            return render

    def _job(self, number: str, fresh: bool = False) -> dict:
        with self._lock:
            cached = self._cache.get(number)
        if cached and not fresh and time.time() - cached[0] < self.state_ttl:
            return cached[1]
        job = self.service.get_job(number)
        self._remember(number, job)
        return job

    def _remember(self, number: str, job: dict) -> None:
        with self._lock:
            self._cache[number] = (time.time(), job)

    def _check_id(self, jobid: str) -> Optional[Render]:
        render = self.find(jobid)
        if render is None and jobs_mod.jid(jobid) is None:
            raise UnknownJob(str(jobid), "{!r} is not a Conductor job id nor a render of this session".format(jobid))
        return render

    # -- state -----------------------------------------------------------------------------
    def state(self, jobid: str) -> str:
        """The job's state (one of :data:`ciokatana.core.jobs.STATES`).

        Raises UnknownJob, or JobServiceError when Conductor cannot be asked.
        """
        render = self._check_id(jobid)
        if render is not None:
            return self._render_state(render)
        try:
            return jobs_mod.job_state(self._job(jobs_mod.jid(jobid)))
        except jobs_mod.JobNotFound as err:
            raise UnknownJob(str(jobid), str(err))

    def _render_state(self, render: Render) -> str:
        with self._lock:
            phase, number = render.phase, render.jid
        if phase in (PREPARING, UPLOADING):
            return jobs_mod.WAITING
        if phase == REFUSED:
            return jobs_mod.FAILED
        if phase == CANCELLED_EARLY:
            return jobs_mod.CANCELLED
        if phase == MAY_EXIST:
            if not self._look_for(render):
                return jobs_mod.FAILED
            with self._lock:
                number = render.jid
        state = jobs_mod.job_state(self._job(number))
        if state in jobs_mod.FINISHED and not render.finished_at:
            render.finished_at = time.time()
        return state

    # -- may have been created ---------------------------------------------------------------
    def _look_for(self, render: Render, listing: Optional[List[dict]] = None, fresh: bool = False) -> bool:
        """Adopt the Conductor job a "may have been created" render made, if the job list shows it.

        Each send carries a token in the payload's metadata
        (:data:`SUBMISSION_KEY`); a listed job whose ``metadata`` holds it
        is that render's job. (That Conductor's job list returns each job's
        ``metadata`` is a reading of ciocore's payload, where ``metadata``
        is a job field; the sandbox does.) Without ``listing`` the recent
        jobs are read, at most once per ``state_ttl`` unless ``fresh``.
        Returns True when the render now has its job id.
        """
        with self._lock:
            if render.phase != MAY_EXIST:
                return render.jid is not None
            token = render.token
            if listing is None and not fresh and time.time() - render.looked_up_at < self.state_ttl:
                return False
        if listing is None:
            with self._lock:
                numbers = [n for r in self._renders.values() for n in r.runs]
            render.looked_up_at = time.time()
            try:
                listing = self._recent(numbers)
            except jobs_mod.JobServiceError:  # cannot look now: still "may have been created"
                return False
        for job in listing:
            metadata = job.get("metadata")
            number = jobs_mod.jid(job.get("jid", job.get("id", "")))
            if number and isinstance(metadata, dict) and metadata.get(SUBMISSION_KEY) == token:
                self._remember(number, job)
                with self._lock:
                    if render.phase != MAY_EXIST:
                        return render.jid is not None
                    render.finished_at = 0.0
                    render.reason = ""
                render.log.note("Conductor's job list shows the job was created after all")
                self._created(render, {"jobid": number})
                return True
        return False

    # -- listing -------------------------------------------------------------------------
    def jobs(self, states=None) -> List[JobInfo]:
        """This session's renders and the user's recent jobs in the project, newest first."""
        with self._lock:
            renders = list(self._renders.values())
        numbers = [n for r in renders for n in r.runs]
        listing = self._recent(numbers)
        for render in renders:
            if render.phase == MAY_EXIST and self._look_for(render, listing):
                numbers.extend(r for r in render.runs if r not in numbers)
        by_number = {jobs_mod.jid(j.get("jid", "")): j for j in listing}
        for number, job in by_number.items():
            if number:
                self._remember(number, job)
        infos = []
        for render in renders:
            infos.append(self._render_info(render, by_number))
        own = set(numbers)
        tokens = {r.token for r in renders if r.token}
        for number, job in by_number.items():
            if not number or number in own or not self._wanted(job):
                continue
            metadata = job.get("metadata")
            if isinstance(metadata, dict) and metadata.get(SUBMISSION_KEY) in tokens:
                continue  # one of ours whose answer is on its way: listed once, as the render

            infos.append(JobInfo(
                jobid=number,
                name="{} [Conductor {}]".format(job.get("title") or job.get("job_title") or "untitled", number),
                start_time=_epoch(job.get("created")),
                end_time=_epoch(job.get("completed") or job.get("completed_at")),
                state=jobs_mod.job_state(job),
                log_path=self._log_path_if_exists(number),
            ))
        if states:
            infos = [i for i in infos if i.state in states]
        infos.sort(key=lambda i: (i.start_time, i.jobid), reverse=True)
        return infos

    def _recent(self, numbers: List[str]) -> List[dict]:
        if numbers:
            newest = max(int(n) for n in numbers)
            first = str(max(1, newest - RECENT_JOBS)).zfill(5)
            return self.service.list_jobs(first=first)
        return self.service.list_jobs()[-RECENT_JOBS:]

    def _wanted(self, job: dict) -> bool:
        if self.project and job.get("project") not in (None, "", self.project):
            return False
        owner = job.get("owner")
        return not owner or not self._user or owner == self._user

    def _render_info(self, render: Render, listed: Dict[str, dict]) -> JobInfo:
        with self._lock:
            phase, number, run = render.phase, render.jid, render.run_number
        if number and number in listed:
            state = jobs_mod.job_state(listed[number])
        elif number:
            state = self._render_state(render)
        else:
            state = self._render_state(render)
        if state in jobs_mod.FINISHED and not render.finished_at:
            render.finished_at = time.time()
        suffix = " [Conductor {}{}]".format(number, ", run {}".format(run) if run > 1 else "") if number else (
            " [uploading to Conductor]" if phase in (PREPARING, UPLOADING) else
            " [may have been created: check the dashboard]" if phase == MAY_EXIST else " [not submitted]")
        return JobInfo(
            jobid=render.katana_id,
            name=render.title + suffix,
            start_time=int(render.submitted_at),
            end_time=int(render.finished_at) if state in jobs_mod.FINISHED else 0,
            state=state,
            log_path=render.log.path,
        )

    def _log_path_if_exists(self, number: str) -> str:
        path = os.path.join(self.log_dir, number + ".log")
        return path if os.path.exists(path) else ""

    # -- render logs ---------------------------------------------------------------------
    def log_path(self, jobid: str) -> str:
        """The render-log file of a job, kept growing from a background thread.

        Raises UnknownJob (a job that is neither this session's nor on
        Conductor) or JobServiceError.
        """
        render = self._check_id(jobid)
        if render is not None:
            with self._lock:
                ended = render.jid is None and render.phase in (REFUSED, CANCELLED_EARLY)
            if not ended:  # a run that never reached Conductor has nothing more to log
                self._follow(render.katana_id, render.log, lambda: (render.jid, render.task_count))
            return render.log.path
        number = jobs_mod.jid(jobid)
        try:
            job = self._job(number)
        except jobs_mod.JobNotFound as err:
            raise UnknownJob(str(jobid), str(err))
        log = RenderLog(os.path.join(self.log_dir, number + ".log"))
        if number not in self._followers:
            log.write("Conductor job {}: {}".format(number, job.get("title") or ""))
        count = jobs_mod.task_count(job)
        self._follow(number, log, lambda: (number, count))
        return log.path

    def _follow(self, key: str, log: RenderLog, target) -> None:
        with self._lock:
            follower = self._followers.get(key)
            if follower is None:
                follower = LogFollower(log, self.service, target, interval=self.log_interval,
                                       on_job=self._remember)
                self._followers[key] = follower
        if not follower.running:
            follower.start()

    # -- control ---------------------------------------------------------------------------
    def stop(self, jobid: str) -> None:
        """Stop a job: cancel its upload, or ask Conductor to kill it."""
        render = self._check_id(jobid)
        if render is not None:
            with self._lock:
                phase, number = render.phase, render.jid
            if phase in (PREPARING, UPLOADING):
                render.log.note("stop asked while uploading: cancelling the submission")
                if render.submission is not None:
                    render.submission.cancel()
                return
            if phase == MAY_EXIST:
                if not self._look_for(render, fresh=True):
                    render.log.note("stop asked: Conductor's job list does not show this job; {}".format(
                        render.reason))
                    return
                with self._lock:
                    number = render.jid
            elif phase in (REFUSED, CANCELLED_EARLY):
                render.log.note("stop asked: nothing to stop ({})".format(render.reason))
                return
            self._kill(number, render.log)
            return
        number = jobs_mod.jid(jobid)
        try:
            self.service.kill_job(number)
        except jobs_mod.JobNotFound as err:
            raise UnknownJob(str(jobid), str(err))
        self._cache.pop(number, None)
        follower = self._followers.get(number)
        if follower is not None:
            follower.log.note("stop asked: Conductor was told to kill job {}".format(number))
            follower.poke()

    def _kill(self, number: str, log: RenderLog) -> None:
        self.service.kill_job(number)
        with self._lock:
            self._cache.pop(number, None)
        log.note("stop asked: Conductor was told to kill job {}".format(number))
        for follower in list(self._followers.values()):
            if follower.log is log:
                follower.poke()

    def restart(self, jobid: str) -> None:
        """Submit a finished job again as a new Conductor job (see the module docstring)."""
        render = self._check_id(jobid)
        if render is None:
            number = jobs_mod.jid(jobid)
            try:
                job = self._job(number, fresh=True)
            except jobs_mod.JobNotFound as err:
                raise UnknownJob(str(jobid), str(err))
            raise RestartError(
                "job {} was not submitted from this Katana session, so ciokatana does not have it to "
                "submit again (Conductor has no restart call); retry its tasks from the Conductor "
                "dashboard, or render the node again ({} is {})".format(
                    number, number, jobs_mod.job_state(job)))
        if render.phase == MAY_EXIST and not self._look_for(render, fresh=True):
            raise RestartError(
                "{} may already be on Conductor ({}); restarting would send it a second time. If the "
                "dashboard does not show it, start a new Disk Render from Katana".format(
                    render.title, render.reason))
        state = self._render_state(render) if render.jid else None
        with self._lock:
            phase = render.phase
        if phase in (PREPARING, UPLOADING) or state in (jobs_mod.WAITING, jobs_mod.RUNNING):
            raise RestartError(
                "{} is still {}; stop it first, then restart it".format(
                    render.katana_id, "uploading" if phase in (PREPARING, UPLOADING) else state))
        if render.payload is None:
            raise RestartError("{} was never prepared ({}); render the node again".format(
                render.katana_id, render.reason))
        render.run_number += 1
        render.finished_at = 0.0
        render.reason = ""
        render.log.write("", "=== restart: run {} (a new Conductor job with the same tasks and files) ===".format(
            render.run_number))
        self._send(render)

    # -- teardown -------------------------------------------------------------------------
    def close(self) -> None:
        """Stop following logs (uploads in progress carry on)."""
        for follower in list(self._followers.values()):
            follower.stop()


def _progress_text(data: dict) -> str:
    percent = float(data.get("percent_complete") or 0.0)
    files = data.get("file_progress") or {}
    done = sum(1 for f in files.values() if f.get("already_uploaded")
               or (f.get("bytes_to_upload") and f.get("bytes_uploaded", 0) >= f.get("bytes_to_upload")))
    total = int(data.get("files_to_upload") or len(files) or 0)
    sent = ev.true_bytes(data.get("bytes_uploaded"))
    size = ev.true_bytes(data.get("bytes_to_upload"))
    return "uploading: {:.0f}% ({} of {} file(s), {} of {})".format(
        percent, done, total, _size(sent), _size(size))


def _size(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return "{:.0f} {}".format(count, unit) if unit == "B" else "{:.1f} {}".format(count, unit)
        count /= 1024.0
    return "{:.1f} TB".format(count)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return ""
