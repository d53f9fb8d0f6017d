"""A local render-log file that grows while a Conductor job runs.

Layer: core (no Qt, no Katana). Katana's Render Log tab loads the file a
farm plug-in names and follows it as it grows, so the file is append-only:
lines are added, never rewritten, and every write is flushed.

:class:`RenderLog` is the file (thread-safe; every line goes through
:func:`~ciokatana.core.redact.redact_text`, so no credential reaches it).
:class:`LogFollower` fills it from a background thread: every ``interval``
seconds it reads the job from Conductor and the logs of its unfinished
tasks (``get_log_file``, which answers a task's whole log; only lines not
yet written are appended, each prefixed with its task id), and it stops
once the job has finished and its last lines are in. A service error is
written once (not once per round) and the follower keeps trying.
"""

from __future__ import annotations

import datetime
import io
import os
import threading
import time
from typing import Callable, Dict, Optional, Tuple

from ciokatana.core import jobs as jobs_mod
from ciokatana.core.redact import redact_text

DEFAULT_INTERVAL = 5.0
#: Task logs read per round at most (a job with thousands of tasks is read in turns).
TASKS_PER_ROUND = 20
#: Without a task count from Conductor, tasks are probed up to this many.
MAX_PROBED_TASKS = 10000


class RenderLog(object):
    """An append-only, flushed, credential-free text file."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        folder = os.path.dirname(self.path)
        if not os.path.isdir(folder):
            os.makedirs(folder)
        self._lock = threading.Lock()
        with io.open(self.path, "a", encoding="utf-8"):
            pass

    def write(self, *lines: str) -> None:
        text = "".join(redact_text(str(line)).rstrip("\n") + "\n" for line in lines)
        if not text:
            return
        with self._lock:
            with io.open(self.path, "a", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()

    def note(self, message: str) -> None:
        """A line from ciokatana itself, time-stamped."""
        stamp = datetime.datetime.now().strftime("%H:%M:%S")
        self.write("[ciokatana {}] {}".format(stamp, message))

    def read(self) -> str:
        with self._lock:
            with io.open(self.path, "r", encoding="utf-8") as handle:
                return handle.read()


# target() -> (job id or None, task count or None); None job id: nothing on Conductor yet.
Target = Callable[[], Tuple[Optional[str], Optional[int]]]


class LogFollower(object):
    """Appends a Conductor job's task logs to a :class:`RenderLog` as they grow.

    Args:
        log: the file.
        service: a :class:`~ciokatana.core.jobs.JobService`.
        target: returns ``(job id, task count)`` each round; the job id may
            change (a restart) or be None (still uploading).
        interval: seconds between rounds.
        on_job: called with ``(job id, job dict)`` after each successful read
            of the job (lets the caller cache its state).
    """

    def __init__(self, log: RenderLog, service, target: Target, interval: float = DEFAULT_INTERVAL,
                 on_job: Optional[Callable[[str, dict], None]] = None):
        self.log = log
        self.service = service
        self.target = target
        self.interval = float(interval)
        self.on_job = on_job
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._state = threading.Lock()
        self._alive = False
        self._again = False
        self._thread: Optional[threading.Thread] = None
        self._jid: Optional[str] = None
        self._seen: Dict[int, int] = {}
        self._finished_tasks = set()
        self._next_task = 0
        self._end_found = False
        self._done_jid: Optional[str] = None
        self._last_error = ""
        self.rounds = 0

    # -- control -----------------------------------------------------------------
    def start(self) -> "LogFollower":
        """Follow (again): a follower that has finished starts over when its target moved on."""
        with self._state:
            if self._alive:
                self._again = True  # the running loop goes on even if it was about to end
                self._stop.clear()
                self._wake.set()
                return self
            self._alive = True
            self._again = False
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="ciokatana-render-log", daemon=True)
            self._thread.start()
        return self

    @property
    def running(self) -> bool:
        with self._state:
            return self._alive

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def poke(self) -> None:
        """Read now rather than at the end of the current interval."""
        self._wake.set()

    def join(self, timeout: Optional[float] = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # -- the loop ------------------------------------------------------------------
    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    finished = self.round()
                except Exception as err:  # never let the thread die silently
                    self._error("could not read the job's logs: {}: {}".format(type(err).__name__, err))
                    finished = False
                if finished:
                    with self._state:
                        if not self._again and self.target()[0] == self._done_jid:
                            self._alive = False
                            return
                        self._again = False
                    continue
                self._wake.wait(self.interval)
                self._wake.clear()
        finally:
            with self._state:
                self._alive = False

    def round(self) -> bool:
        """One read of the job and its logs; True once the job has finished and is all written."""
        self.rounds += 1
        jid, count = self.target()
        if jid is None:
            return False
        if jid == self._done_jid:  # already followed to its end
            return True
        if jid != self._jid:
            self._jid = jid
            self._seen, self._finished_tasks, self._next_task = {}, set(), 0
            self._end_found = False
            self.log.write("", "=== Conductor job {} ===".format(jid))
        try:
            job = self.service.get_job(jid)
        except jobs_mod.JobServiceError as err:
            self._error(str(err))
            return False
        if self.on_job is not None:
            self.on_job(jid, job)
        state = jobs_mod.job_state(job)
        if count is None:
            count = jobs_mod.task_count(job)
        try:
            self._read_tasks(jid, count)
        except jobs_mod.JobServiceError as err:
            self._error(str(err))
            return False
        self._last_error = ""
        if state in jobs_mod.FINISHED and self._all_read(count):
            self.log.write("=== Conductor job {} {} (status: {}) ===".format(
                jid, state, job.get("status", "?")))
            self._done_jid = jid
            return True
        return False

    def _all_read(self, count: Optional[int]) -> bool:
        if count is None:
            return self._end_found and all(t in self._finished_tasks for t in self._seen)
        return not self._unfinished(count)

    def _unfinished(self, count):
        return [t for t in range(count) if t not in self._finished_tasks]

    def _read_tasks(self, jid: str, count: Optional[int]) -> None:
        if count is None:
            # No task count: probe task ids until Conductor says there is no such task.
            candidates = [t for t in range(self._next_task, self._next_task + TASKS_PER_ROUND)
                          if t not in self._finished_tasks and t < MAX_PROBED_TASKS]
            known = [t for t in self._seen if t not in self._finished_tasks]
            candidates = sorted(set(known) | set(candidates))[:TASKS_PER_ROUND]
        else:
            pending = self._unfinished(count)
            if not pending:
                return
            start = self._next_task % max(1, count)
            ordered = [t for t in pending if t >= start] + [t for t in pending if t < start]
            candidates = ordered[:TASKS_PER_ROUND]
        for task in candidates:
            try:
                answer = self.service.task_log(jid, task)
            except jobs_mod.JobNotFound:
                if count is None:  # the end of the job's tasks
                    self._end_found = True
                    break
                raise
            lines = jobs_mod.log_lines(answer)
            seen = self._seen.get(task, 0)
            if len(lines) < seen:  # the task started over (preempted): show it again
                self.log.note("task {} started again".format(jobs_mod.tid(task)))
                seen = 0
            if len(lines) > seen:
                prefix = "[task {}] ".format(jobs_mod.tid(task))
                self.log.write(*[prefix + line for line in lines[seen:]])
            self._seen[task] = len(lines)
            if jobs_mod.state_of_status(answer.get("task_status")) in jobs_mod.FINISHED:
                self._finished_tasks.add(task)
            self._next_task = task + 1

    def _error(self, message: str) -> None:
        if message != self._last_error:
            self._last_error = message
            self.log.note("{} (trying again every {:g} s)".format(message, self.interval))


def wait_for(predicate: Callable[[], bool], timeout: float, step: float = 0.02) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` passes (for callers and tests)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
