"""Conductor jobs after submission: list them, read states and task logs, kill them.

Layer: core (no Qt, no Katana). The Katana farm plug-in
(:mod:`ciokatana.katana.farm_plugin`, through :mod:`ciokatana.core.remote_render`)
is built on it.

Requests go through ciocore's API client, ``ApiClient.make_request`` with
``use_api_key=True``, exactly as ciocore 9.2's own helpers make them (read
in ``ciocore/api_client.py``):

==================  ===========================================================
ciocore 8.x/9.x     request made here
==================  ===========================================================
``get_jobs(a, b)``  ``GET api/v1/jobs?filter=jid_gt_<a-1>,jid_lt_<b+1>`` (5-digit ids)
                    -> ``{"data": [job, ...]}``
``get_log(j, t)``   ``GET get_log_file?job=<5 digits>&task=<3 digits>&num_lines[]=0``
                    -> ``{"logs": [{"log": [lines], ...}], "task_status", ...}``
``kill_jobs(*j)``   ``PUT jobs_multi`` ``{"action": "kill", "jobids": [...]}``
==================  ===========================================================

Those helpers do not exist in ciocore 7.0.2 (the version that installs on
Python 3.7); ``ApiClient.make_request`` does, with the same signature, in
every supported version, so this module calls it directly.

What is a guess (Conductor does not document these shapes publicly):

- the fields of a job dict other than ``jid`` (``status``, ``title``,
  ``project``, ``owner``, ``created``, ``tasks`` as a task count): ciocore
  only reads ``jid``; the names follow the job payload ciocore sends and the
  dashboard's wording. Missing fields are tolerated everywhere;
- ``GET api/v1/jobs`` with no ``filter`` (used to list recent jobs when no
  job id is known yet) answering the account's most recent jobs;
- the status words in :data:`STATE_OF_STATUS` beyond ``pending``,
  ``holding``, ``running``, ``success``, ``failed``, ``killed`` and
  ``preempted`` (those appear in ciocore's docstrings and the sandbox);
  an unknown word counts as waiting and is shown raw.

Bounded time: ciocore sets no network timeout, so a service that accepts a
connection and never answers would hold a caller for ever. Every call here
runs on a daemon thread and the caller waits at most :attr:`JobService.timeout`
seconds, then gets a :class:`JobServiceError` naming what it was doing. A
second identical call while the first is still out waits for that first one
instead of starting another, and only until the first one's time is up (so a
caller that polls a hung service gets its error at once from then on); no
more than ``max_stuck`` calls are ever left waiting on the network, so a
hung service cannot pile up threads.
A caller may wait less than that (:attr:`JobService.wait`, for Katana's UI
thread: the farm plug-in waits 2 s): the request carries on in the
background for its full time, the caller gets a :class:`JobServiceError`
saying so, and the next identical call takes the late answer (once) instead
of asking again.
Errors carry the service's reason with credentials scrubbed.
"""

from __future__ import annotations

import json
import os
import threading
import time
from typing import Callable, Dict, List, Optional, Tuple

from ciokatana.core.redact import redact_text

DEFAULT_TIMEOUT = 10.0
TIMEOUT_ENV = "CIOKATANA_FARM_TIMEOUT"
#: Seconds the farm plug-in's callers (Katana's UI thread) wait for one answer.
DEFAULT_WAIT = 2.0
WAIT_ENV = "CIOKATANA_FARM_WAIT"

# Neutral job states (the farm plug-in maps them onto Katana's Job.State).
WAITING = "waiting"
RUNNING = "running"
COMPLETED = "completed"
FAILED = "failed"
CANCELLED = "cancelled"
STATES = (WAITING, RUNNING, COMPLETED, FAILED, CANCELLED)
FINISHED = (COMPLETED, FAILED, CANCELLED)

#: Conductor job and task status -> state. The first seven are the statuses
#: ciocore's code and the sandbox use; the rest are guesses at synonyms.
STATE_OF_STATUS = {
    "pending": WAITING,
    "holding": WAITING,
    "preempted": WAITING,  # the task is queued again on another machine
    "running": RUNNING,
    "success": COMPLETED,
    "failed": FAILED,
    "killed": CANCELLED,
    # guesses
    "queued": WAITING,
    "waiting": WAITING,
    "starting": WAITING,
    "sync_pending": WAITING,
    "upload_pending": WAITING,
    "uploading": WAITING,
    "completed": COMPLETED,
    "complete": COMPLETED,
    "downloaded": COMPLETED,
    "error": FAILED,
    "cancelled": CANCELLED,
    "canceled": CANCELLED,
}

Request = Callable[[str, str, Optional[dict], Optional[str]], Tuple[str, int]]


class JobServiceError(Exception):
    """A job request failed; the message says what, why, and what to do (no credentials)."""


class JobNotFound(JobServiceError):
    """Conductor has no job (or task) with this id."""

    def __init__(self, jobid: str, message: str = ""):
        super(JobNotFound, self).__init__(message or "Conductor has no job {}".format(jobid))
        self.jobid = jobid


def env_seconds(name: str, default: float, floor: float = 0.1) -> float:
    """Seconds from environment variable ``name`` (at least ``floor``); ``default`` if unset or not a number."""
    try:
        return max(floor, float(os.environ.get(name, default)))
    except ValueError:
        return default


def timeout_from_env(default: float = DEFAULT_TIMEOUT) -> float:
    return env_seconds(TIMEOUT_ENV, default)


def jid(value) -> Optional[str]:
    """A Conductor job id in its 5-digit form, or None if ``value`` is not one."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 12:
        return None
    return text.zfill(5)


def tid(value) -> str:
    return str(int(value)).zfill(3)


def state_of_status(status: str) -> str:
    """The state of a Conductor job or task status word (unknown: waiting)."""
    return STATE_OF_STATUS.get(str(status or "").strip().lower(), WAITING)


def job_state(job: dict) -> str:
    """The state of a job dict from ``api/v1/jobs``.

    Its ``status`` decides; without one, the task counts (a guessed field,
    ``task_status_counts``) do: any running -> running, any waiting ->
    waiting, any failed -> failed, all done -> completed, else cancelled.
    """
    status = job.get("status")
    if status:
        return state_of_status(status)
    counts = job.get("task_status_counts") or {}
    states = {state_of_status(s) for s, n in counts.items() if n}
    for state in (RUNNING, WAITING, FAILED):
        if state in states:
            return state
    if states == {COMPLETED}:
        return COMPLETED
    return CANCELLED if states else WAITING


def task_count(job: dict) -> Optional[int]:
    """The number of tasks a job dict says it has (guessed field ``tasks``), or None."""
    value = job.get("tasks")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        return len(value)
    return None


def log_lines(answer: dict) -> List[str]:
    """Every log line of a ``get_log_file`` answer, in order."""
    lines: List[str] = []
    for entry in answer.get("logs") or []:
        if isinstance(entry, dict):
            lines.extend(str(line) for line in entry.get("log") or [])
    return lines


def _ciocore_request(uri: str, verb: str, params: Optional[dict], data: Optional[str]):
    """One request through ciocore's API client (no retries: the caller bounds the time)."""
    from ciocore import api_client

    return api_client.ApiClient().make_request(
        uri_path=uri, verb=verb, params=params, data=data,
        raise_on_error=False, use_api_key=True, tries=1,
    )


def wait_from_env(default: float = DEFAULT_WAIT) -> float:
    return env_seconds(WAIT_ENV, default)


class _Call(object):
    def __init__(self, fn, args):
        self.started = time.time()
        self.abandoned = False  # a caller stopped waiting before the answer came
        self.finished_at = 0.0
        self.done = threading.Event()
        self.result = None
        self.error: Optional[BaseException] = None
        self.thread = threading.Thread(target=self._run, args=(fn, args),
                                       name="ciokatana-jobs-request", daemon=True)

    def _run(self, fn, args):
        try:
            self.result = fn(*args)
        except BaseException as err:  # handed to the waiting caller
            self.error = err
        finally:
            self.finished_at = time.time()
            self.done.set()

    def late_answer(self, fresh_for: float) -> bool:
        """An answer no caller has taken yet, at most ``fresh_for`` seconds old."""
        return self.done.is_set() and self.abandoned and time.time() - self.finished_at <= fresh_for


class JobService(object):
    """Job information and control through ciocore, in bounded time.

    Args:
        timeout: seconds a caller waits for one answer (default
            ``$CIOKATANA_FARM_TIMEOUT`` or 10).
        request: ``request(uri, verb, params, data) -> (text, status)``;
            ciocore's API client by default (tests may pass another).
        check_credentials: called before the first request; raises when
            ciocore would fall back to a browser login
            (:func:`ciokatana.core.conductor.check_credentials` by default).
        max_stuck: how many requests may be left waiting on a silent service.
        wait: seconds a caller waits before it is told the answer is late
            (at most ``timeout``; default ``timeout``). The request goes on
            in the background and its answer serves the next identical call.
    """

    def __init__(self, timeout: Optional[float] = None, request: Optional[Request] = None,
                 check_credentials: Optional[Callable[[], None]] = None, max_stuck: int = 4,
                 wait: Optional[float] = None):
        self.timeout = float(timeout) if timeout is not None else timeout_from_env()
        self.wait = float(wait) if wait is not None else None
        self._request = request or _ciocore_request
        self._check = check_credentials
        self._checked = False
        self.max_stuck = int(max_stuck)
        self._lock = threading.Lock()
        self._calls: Dict[str, _Call] = {}

    # -- the calls -------------------------------------------------------------
    def list_jobs(self, first: Optional[str] = None, last: Optional[str] = None) -> List[dict]:
        """Jobs with ids from ``first`` to ``last`` (both optional; none: recent jobs)."""
        params = None
        terms = []
        if first is not None:
            terms.append("jid_gt_{}".format(str(int(first) - 1).zfill(5)))
        if last is not None:
            terms.append("jid_lt_{}".format(str(int(last) + 1).zfill(5)))
        if terms:
            params = {"filter": ",".join(terms)}
        what = "listing jobs" if not terms else "reading job(s) {}{}".format(
            first or "", "-{}".format(last) if last and last != first else "")
        text = self._get(what, "list:{}:{}".format(first, last), "api/v1/jobs", "GET", params, None)
        data = _json(text, what).get("data")
        if not isinstance(data, list):
            raise JobServiceError("Conductor answered {} without a job list".format(what))
        return [j for j in data if isinstance(j, dict)]

    def get_job(self, jobid: str) -> dict:
        """One job's dict. Raises JobNotFound when Conductor has no such job."""
        number = jid(jobid)
        if number is None:
            raise JobNotFound(str(jobid), "{!r} is not a Conductor job id".format(jobid))
        for job in self.list_jobs(number, number):
            if jid(job.get("jid", job.get("id", ""))) == number:
                return job
        raise JobNotFound(number)

    def task_log(self, jobid: str, taskid) -> dict:
        """The ``get_log_file`` answer for one task. JobNotFound on 404."""
        number, task = jid(jobid), tid(taskid)
        if number is None:
            raise JobNotFound(str(jobid), "{!r} is not a Conductor job id".format(jobid))
        uri = "get_log_file?job={}&task={}&num_lines[]=0".format(number, task)
        what = "reading the log of job {} task {}".format(number, task)
        text = self._get(what, "log:{}:{}".format(number, task), uri, "GET", None, None,
                         not_found=number)
        return _json(text, what)

    def kill_job(self, jobid: str) -> dict:
        """Ask Conductor to kill a job's unfinished tasks. JobNotFound on 404."""
        number = jid(jobid)
        if number is None:
            raise JobNotFound(str(jobid), "{!r} is not a Conductor job id".format(jobid))
        body = json.dumps({"action": "kill", "jobids": [number]})
        what = "stopping job {}".format(number)
        text = self._get(what, "kill:" + number, "jobs_multi", "PUT", None, body, not_found=number)
        return _json(text, what)

    # -- plumbing --------------------------------------------------------------
    def _get(self, what, key, uri, verb, params, data, not_found=None) -> str:
        if not self._checked and self._check is not None:
            try:
                self._check()
            except Exception as err:
                raise JobServiceError("cannot ask Conductor about jobs: {}".format(redact_text(str(err))))
            self._checked = True
        text, code = self._bounded(what, key, uri, verb, params, data)
        if code == 404 and not_found:
            raise JobNotFound(not_found, "Conductor has no job {} ({})".format(not_found, _excerpt(text)))
        if code in (401, 403):
            raise JobServiceError(
                "Conductor refused the credentials while {} ({} {}); check your API key".format(
                    what, code, _excerpt(text)))
        if not 200 <= int(code) < 300:
            raise JobServiceError("Conductor answered {} while {}: {}".format(code, what, _excerpt(text)))
        return text

    def _bounded(self, what, key, uri, verb, params, data):
        with self._lock:
            call = self._calls.get(key)
            if call is not None and call.late_answer(self.timeout):
                call.abandoned = False  # its caller gave up: this one takes the late answer, once
                return self._answer(call, what)
            if call is None or call.done.is_set():
                stuck = [c for c in self._calls.values() if not c.done.is_set()]
                if len(stuck) >= self.max_stuck:
                    raise JobServiceError(
                        "Conductor has not answered {} earlier request(s); not asking again "
                        "while {}. Check the network and try again later".format(len(stuck), what))
                call = _Call(self._request, (uri, verb, params, data))
                self._calls = {k: c for k, c in self._calls.items()
                               if not c.done.is_set() or c.late_answer(self.timeout)}
                self._calls[key] = call
                call.thread.start()
        # Wait until this request's time is up (a request already out for a
        # while leaves a later caller less to wait, or nothing).
        remaining = max(0.0, call.started + self.timeout - time.time())
        wait = remaining if self.wait is None else min(remaining, max(0.0, self.wait))
        if call.abandoned:  # a caller already waited its share for this request: do not hold another
            wait = 0.0
        if not call.done.wait(wait):
            if wait < remaining:
                call.abandoned = True
                raise JobServiceError(
                    "Conductor has not answered in {:.0f} s while {}; still asking in the background "
                    "(up to {:g} s): try again shortly".format(time.time() - call.started, what, self.timeout))
            raise JobServiceError(
                "Conductor did not answer within {:g} s while {}; check the network or "
                "CONDUCTOR_URL and try again".format(self.timeout, what))
        return self._answer(call, what)

    @staticmethod
    def _answer(call, what):
        if call.error is not None:
            raise JobServiceError(_explain(call.error, what))
        text, code = call.result
        return text, code

    def stuck_requests(self) -> int:
        """How many requests are still waiting on the network."""
        with self._lock:
            return sum(1 for c in self._calls.values() if not c.done.is_set())


def _json(text, what) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        raise JobServiceError("Conductor's answer to {} is not JSON: {}".format(what, _excerpt(text)))
    if not isinstance(value, dict):
        raise JobServiceError("Conductor's answer to {} is not an object: {}".format(what, _excerpt(text)))
    return value


def _excerpt(text, limit=200) -> str:
    text = redact_text(str(text or "")).strip().replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "..."


def _explain(err: BaseException, what: str) -> str:
    name = type(err).__name__
    first = (redact_text(str(err)).strip().splitlines() or [name])[0][:200]
    if "Connection" in name or "Connection refused" in first or "Max retries" in first:
        return "cannot reach Conductor while {} ({}); check the network or CONDUCTOR_URL".format(what, first)
    if "credentials" in first.lower():
        return "no Conductor credentials while {} ({}); set CONDUCTOR_API_KEY".format(what, first)
    return "{} failed: {}: {}".format(what[0].upper() + what[1:], name, first)
