"""The default submission path: upload every job's files once, then create the jobs.

Layer: core (no Qt, no Katana). :class:`SharedUploadSource` is a runner
:class:`~ciokatana.core.runner.Source`. Where ciocore's ``Submit`` runs an
uploader per job (about 10 s each, however small the upload: its loops
sleep 5 s at a time), this source

1. expands each job's ``upload_paths`` as ``Submit.main`` does
   (:func:`ciokatana.core.hashing.expand`, ciocore's ``file_utils``) and
   takes their union;
2. logs in once (``api_client.read_conductor_credentials``);
3. hashes the union once, concurrently, skipping every file ciocore's md5
   cache still vouches for (:mod:`ciokatana.core.hashing`);
4. asks Conductor once which of them it lacks (``get_upload_urls``, one
   request per :data:`URL_BATCH` files), and uploads only those,
   concurrently, single-part or multipart exactly as ciocore does
   (:mod:`ciokatana.core.ciocore_calls`);
5. creates each job with one ``jobs/`` request whose payload is the one
   ciocore's ``Submit`` would send: built by ``Submit``'s own constructor,
   with ``upload_files`` filled by ``Submit._expand_stats`` (md5 and stats).

Events (see :mod:`ciokatana.core.events`): ``start`` with the upload's
file count and bytes; the shared upload's ``progress`` (job_index -1); then
per job ``job_start`` with ``phase: "create"`` and its ``response`` or
``error``; ``done`` comes from the runner.

Failures and their rules (``docs/reliability.md``):

- A file that cannot be read or uploaded fails only the jobs that need it;
  their error names the file. The others are created.
- Login and upload-URL failures fail every job that needs them.
- Calls that are safe to repeat are retried (the token, upload URLs,
  uploads of the same bytes, a multipart finish); a job creation is
  retried only when the connection could not even be made.
- Cancel during the upload ends the run with one cancel error (no job is
  created). Cancel while a job's ``jobs/`` request is in flight waits up
  to ``create_grace`` seconds for the answer: the job id when it comes,
  else "may have been created".
- Inactivity: when nothing moves (no byte hashed or sent, no answer) for
  ``timeout`` seconds, the step in flight is ended as stalled. A stall in
  job creation reports that job as "may have been created" and sends no
  further job (the service is not answering).
"""

from __future__ import annotations

import collections
import json
import logging
import threading
import time
from typing import Callable, List, Optional

from ciokatana.core import events as ev
from ciokatana.core.settings import DEFAULT_TIMEOUT
from ciokatana.core import ciocompat, hashing
from ciokatana.core.ciocore_calls import CallError, Calls
from ciokatana.core.runner import BackgroundCall, Clock, Control, Source

logger = logging.getLogger(__name__)

URL_BATCH = 500
SAFE_TRIES = 3
BACKOFF = (0.5, 1.0, 2.0)
PROGRESS_INTERVAL = 0.25
POLL = 0.05


class _Cancelled(Exception):
    """The user cancelled."""


class _Stalled(Exception):
    """Nothing moved for the timeout; ``step`` names what was in flight."""

    def __init__(self, step):
        super().__init__(step)
        self.step = step


class _SharedFailure(Exception):
    """A failure of the shared phase that every job needing it inherits."""

    def __init__(self, kind, message, needs_files=True):
        super().__init__(message)
        self.kind = kind
        self.needs_files = needs_files


class JobCreationFailed(Exception):
    """Conductor answered a job creation with an error."""


class UploadError(Exception):
    """A job's files could not all be uploaded."""


class _File(object):
    __slots__ = ("path", "info", "size", "md5", "cached", "kind", "url", "multipart", "sent", "state", "message",
                 "step", "unreadable")

    def __init__(self, path, info):
        self.path = path
        self.info = info
        self.size = int(info["size"])
        self.md5 = None
        self.cached = False
        self.kind = None  # None (held or not asked yet), "single", "multi", "duplicate"
        self.url = None
        self.multipart = None
        self.sent = 0
        self.state = "pending"  # pending, held, uploading, done, failed
        self.message = ""
        self.step = ""
        self.unreadable = False  # it could not be read (vanished, no permission): a twin may stand in

    def fail(self, message):
        if self.state != "failed":
            self.state = "failed"
            self.message = message


class _Job(object):
    def __init__(self, index, payload):
        self.index = index
        self.payload = payload
        self.title = str(payload.get("job_title", "job {}".format(index + 1)))
        self.local = bool(payload.get("local_upload", True))
        self.files = []  # type: List[str]
        self.error = None  # type: Optional[BaseException]


class SharedUploadSource(Source):
    """Upload the union of every job's files once, then create each job.

    Args:
        payloads: job payloads (ciocore ``Submit`` arguments).
        database_filepath: ciocore's md5 cache (its default when empty).
        timeout: seconds without any progress or answer before the step
            in flight is ended as stalled.
        url: the Conductor URL, for "check the dashboard" messages.
        upload_threads / hash_threads: concurrency (defaults from ciocore's
            ``thread_count`` and the CPU count).
        cancel_grace: seconds to let calls stop after a cancel.
        create_grace: seconds to wait for a job creation's answer after a cancel.
        calls: a :class:`~ciokatana.core.ciocore_calls.Calls` (tests).
    """

    def __init__(self, payloads: List[dict], database_filepath: str = "", timeout: float = DEFAULT_TIMEOUT,
                 url: Optional[str] = None, upload_threads: Optional[int] = None,
                 hash_threads: Optional[int] = None, cancel_grace: float = 1.0, create_grace: float = 2.0,
                 calls: Optional[Calls] = None):
        self.payloads = [dict(p) for p in payloads]
        self.database_filepath = database_filepath or ""
        self.timeout = float(timeout or DEFAULT_TIMEOUT)
        self.url = url
        self.upload_threads = upload_threads
        self.hash_threads = hash_threads
        self.cancel_grace = cancel_grace
        self.create_grace = create_grace
        self._calls = calls
        self._abandoned = []  # type: List[threading.Thread]

    def abandoned_threads(self) -> List[threading.Thread]:
        return [t for t in self._abandoned if t.is_alive()]

    def run(self, emit: Callable[[ev.Event], None], control: Control) -> None:
        calls = self._calls or Calls(self.timeout, pool_size=max(4, self._upload_threads()))
        run = _Run(self, calls, emit, control)
        try:
            run.go()
        finally:
            run.finish()

    def _upload_threads(self) -> int:
        if self.upload_threads:
            return int(self.upload_threads)
        try:
            from ciocore import config

            count = int(config.get()["thread_count"])
        except Exception:
            count = 4
        return max(4, min(16, count))

    def _hash_threads(self) -> int:
        return int(self.hash_threads or hashing.default_threads())


class _Run(object):
    """One run of a :class:`SharedUploadSource` (all state, one thread drives it)."""

    def __init__(self, source, calls, emit, control):
        self.source = source
        self.calls = calls
        self.emit = emit
        self.control = control
        self.timeout = source.timeout
        self.clock = Clock()
        self.halt = threading.Event()
        self.jobs = [_Job(i, p) for i, p in enumerate(source.payloads)]
        self.files = collections.OrderedDict()  # path -> _File, in job order
        self.threads = []  # type: List[threading.Thread]
        self.started = time.monotonic()
        self.upload_started = None
        self.last_progress = 0.0
        self.shared_failure = None  # type: Optional[_SharedFailure]

    # -- the run -----------------------------------------------------------------
    def go(self):
        self._expand()
        emit_bytes = sum(f.size for f in self.files.values())
        self.emit(ev.start(len(self.jobs), upload_files=len(self.files), upload_bytes=emit_bytes))
        try:
            self._shared_phase()
        except _Cancelled:
            self._progress(force=True)
            self.emit(ev.cancelled("", body="cancelled before any job was created; nothing was submitted"))
            return
        finally:
            self._note_held()
        self._create_all()

    def _note_held(self):
        """Tell this machine's upload record what Conductor now holds, and the rate measured.

        The upload estimate reads it (``core/upload_record.py``); a failure
        here never affects the run.
        """
        try:
            from ciokatana.core import upload_record

            held = [(f.md5, f.size) for f in self.files.values() if f.md5 and f.state in ("held", "done")]
            sent = [f for f in self.files.values() if f.kind in ("single", "multi") and f.state == "done"]
            seconds = time.monotonic() - self.upload_started if (sent and self.upload_started is not None) else 0.0
            upload_record.note(held, sum(f.size for f in sent), seconds)
        except Exception:  # the record is a convenience
            logger.warning("Could not update the upload record", exc_info=True)

    def finish(self):
        """End every call still in flight and let the worker threads go."""
        self.halt.set()
        self.calls.close()
        deadline = time.monotonic() + self.source.cancel_grace
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                self.source._abandoned.append(thread)

    # -- files -------------------------------------------------------------------
    def _expand(self):
        expanded = {}
        for job in self.jobs:
            paths = list(job.payload.get("upload_paths") or [])
            try:
                key = tuple(paths)
                if key not in expanded:
                    expanded[key] = hashing.expand(paths)
                files, missing = expanded[key]
                if missing:  # ciocore's error names the path, as Submit.main's would
                    raise missing[0][1]
                job.files = list(files)
                if job.local:
                    for path in job.files:
                        if path not in self.files:
                            self.files[path] = _File(path, hashing.file_info(path))
            except Exception as err:  # the job fails; the others go on
                job.error = err

    def _needs_upload(self):
        return [f for f in self.files.values() if f.state != "failed"]

    # -- shared phase ------------------------------------------------------------
    def _shared_phase(self):
        try:
            self._retrying("login", self.calls.login, watched=True)
        except _Stalled as stall:
            self.shared_failure = _SharedFailure(ev.STALLED_TYPE, self._stall_text(stall.step), needs_files=False)
            return
        except CallError as err:
            self.shared_failure = _SharedFailure("LoginError", err.args[0], needs_files=False)
            return
        if not self.files:
            return
        self._hash()
        try:
            self._ask()
        except _Stalled as stall:
            self.shared_failure = _SharedFailure(ev.STALLED_TYPE, self._stall_text(stall.step))
            return
        except CallError as err:
            self.shared_failure = _SharedFailure(
                "UploadError", "Conductor did not say which files to upload: {}".format(_cause(err))
            )
            return
        self._upload()
        self._progress(force=True)

    def _hash(self):
        files = {f.path: f for f in self._needs_upload()}

        def on_lookup(found):
            for path in found.cached:
                files[path].md5, files[path].cached = found.md5s[path], True

        def on_file(info, md5, error):
            f = files[info["filepath"]]
            if md5 is not None:
                f.md5 = md5
            elif isinstance(error, (OSError, IOError)):
                f.fail("cannot read {}: {}".format(f.path, error.strerror or error))
            else:  # an unreadable file must not end the run
                f.fail("cannot hash {}: {}".format(f.path, error))
            self.clock.touch()

        def run(work, todo):
            def each(f):
                f.step = "md5 of {}".format(f.path)
                try:
                    work(f.info)
                finally:
                    f.step = ""

            self._pool("ciokatana-md5", self.source._hash_threads(), [files[i["filepath"]] for i in todo], each)

        try:
            hashing.md5s([f.info for f in files.values()], self.source.database_filepath,
                         hashing.md5_caching(j.payload for j in self.jobs), self.halt.is_set, run=run,
                         on_lookup=on_lookup, on_bytes=self.clock.touch, on_file=on_file)
        except _Stalled as stall:
            for f in files.values():
                if f.md5 is None:
                    f.fail(self._stall_text(stall.step))
        else:
            for f in files.values():
                if f.md5 is None:
                    f.fail(f.message or "{} was not hashed".format(f.path))

    @property
    def _project(self):
        """The project the upload is asked for (that of the first job that uploads)."""
        return next((j.payload.get("project") for j in self.jobs if j.local), None)

    def _ask(self):
        project = self._project
        first = {}
        entries = []
        for f in self._needs_upload():
            if f.md5 is None:
                continue
            if f.md5 in first:
                f.kind = "duplicate"
                continue
            first[f.md5] = f
            entries.append({"path": f.path, "hash": f.md5, "size": f.size})
        for start in range(0, len(entries), URL_BATCH):
            batch = entries[start:start + URL_BATCH]
            answer = self._retrying("upload URLs", lambda b=batch: self.calls.upload_urls(b, project), watched=True)
            for item in (answer or {}).get("singlePartURLs") or []:
                f = self.files.get(item.get("filePath"))
                if f is not None:
                    f.kind, f.url = "single", item.get("preSignedURL")
            for item in (answer or {}).get("multiPartURLs") or []:
                f = self.files.get(item.get("filePath"))
                if f is not None:
                    f.kind, f.multipart = "multi", item
        for f in self._needs_upload():
            if f.kind is None and f.md5 is not None:
                f.state = "held"
        for f in self._needs_upload():
            if f.kind == "duplicate":
                twin = first[f.md5]
                if twin.kind is None:
                    f.state = "held"
        self._progress(force=True)

    def _upload(self):
        project = self._project
        todo = [f for f in self._needs_upload() if f.kind in ("single", "multi")]
        if not todo:
            self._settle_duplicates()
            return
        self.upload_started = time.monotonic()

        def on_bytes_of(f):
            def on_bytes(count):
                f.sent += count
                self.clock.touch()

            return on_bytes

        def stop():
            return self.halt.is_set()

        def upload_one(f):
            f.state = "uploading"
            try:
                if f.kind == "single":
                    f.step = "upload of {}".format(f.path)

                    def put():
                        f.sent = 0
                        self.calls.put_single(f.url, f.path, f.md5, f.size, on_bytes_of(f), stop)

                    self._retrying(f.step, put)
                else:
                    self._upload_parts(f, project, on_bytes_of(f), stop)
                f.state = "done"
            except _Cancelled:
                f.fail("cancelled")
            except _Stalled as stall:
                f.fail(self._stall_text(stall.step))
            except CallError as err:
                if not self.halt.is_set():
                    f.fail("upload of {} failed: {}".format(f.path, _cause(err)))
            except (OSError, IOError) as err:
                f.unreadable = True
                f.fail("cannot read {}: {}".format(f.path, err.strerror or err))
            finally:
                f.step = ""
                self.clock.touch()

        while todo:
            try:
                self._pool("ciokatana-upload", self.source._upload_threads(), todo, upload_one)
            except _Stalled as stall:
                for f in todo:
                    if f.state != "done":
                        f.fail(self._stall_text(stall.step))
                todo = []
            for f in todo:  # whatever did not finish failed, whatever the reason
                if f.state != "done":
                    f.fail(f.message or "the upload of {} did not finish".format(f.path))
            todo = self._stand_ins(todo)
        self._settle_duplicates()

    def _stand_ins(self, tried):
        """Copies (same md5) to upload in place of files that could not be read.

        A file that vanished or cannot be read mid-run must not fail the jobs
        that list only its copy: the copy's bytes go to the same URL.
        """
        stand_ins = []
        for f in tried:
            if not f.unreadable:
                continue
            for other in self.files.values():
                if other.kind == "duplicate" and other.md5 == f.md5 and other.state == "pending":
                    other.kind, other.url, other.multipart, other.sent = f.kind, f.url, f.multipart, 0
                    stand_ins.append(other)
                    break
        return stand_ins

    def _upload_parts(self, f, project, on_bytes, stop):
        upload = f.multipart
        parts = sorted(upload.get("parts") or [], key=lambda p: p.get("partNumber", 0))
        part_size = int(upload.get("partSize") or f.size or 1)
        done = []
        for part in parts:
            number = int(part["partNumber"])
            f.step = "upload of {} (part {} of {})".format(f.path, number, len(parts))
            base = f.sent

            def put(number=number, part=part, base=base):
                f.sent = base
                return self.calls.put_part(part["url"], f.path, number, part_size, on_bytes, stop, len(parts))

            etag = self._retrying(f.step, put)
            done.append({"partNumber": number, "etag": etag})
        f.step = "multipart finish of {}".format(f.path)
        self._retrying(f.step, lambda: self.calls.complete_multipart(
            upload.get("uploadID"), f.md5, done, project, f.path))

    def _settle_duplicates(self):
        by_md5 = {}
        for f in self.files.values():
            if f.kind in ("single", "multi") and (f.md5 not in by_md5 or f.state == "done"):
                by_md5[f.md5] = f
        for f in self.files.values():
            if f.kind == "duplicate" and f.state == "pending":
                twin = by_md5.get(f.md5)
                if twin is None or twin.state == "done":
                    f.state = "held"
                else:
                    f.fail(twin.message or "its twin {} was not uploaded".format(twin.path))

    # -- running things with a watch -------------------------------------------------
    def _check(self, step):
        """Raise _Cancelled / _Stalled when the user cancelled or nothing moved."""
        if self.control.cancelled:
            self.halt.set()
            self.calls.abort()
            raise _Cancelled()
        if self.clock.idle() > self.timeout:
            self.halt.set()
            self.calls.abort()
            raise _Stalled(step() if callable(step) else step)
        self._progress()

    def _pool(self, name, count, items, fn):
        """Run fn over items on ``count`` daemon threads, watching cancel and stalls."""
        pending = collections.deque(items)
        if not pending:
            return
        left = [len(pending)]
        done = threading.Event()
        lock = threading.Lock()

        def worker():
            while not self.halt.is_set():
                with lock:
                    if not pending:
                        return
                    item = pending.popleft()
                try:
                    fn(item)
                except Exception:  # a bug in fn must not hang the run
                    logger.exception("%s failed on %s", name, getattr(item, "path", item))
                with lock:
                    left[0] -= 1
                    if left[0] == 0:
                        done.set()

        self.clock.touch()
        self.halt.clear()
        for number in range(max(1, min(count, len(pending)))):
            thread = threading.Thread(target=worker, name="{}-{}".format(name, number), daemon=True)
            self.threads.append(thread)
            thread.start()

        def in_flight():
            steps = [getattr(i, "step", "") for i in items if getattr(i, "step", "")]
            return ", ".join(steps[:3]) + (" and {} more".format(len(steps) - 3) if len(steps) > 3 else "") \
                if steps else name

        while not done.wait(POLL):
            self._check(in_flight)
        self._progress()

    def _watched(self, step, fn):
        """Run one blocking call on a daemon thread; watch cancel and stalls."""
        self.clock.touch()
        call = BackgroundCall(fn)
        self.threads.append(call.thread)
        try:
            while not call.wait(POLL):
                self._check(step)
        except (_Cancelled, _Stalled):
            call.wait(self.source.cancel_grace)
            raise
        if call.error is not None:
            raise call.error
        return call.result

    def _retrying(self, step, fn, watched=False):
        """Call fn, retrying what is safe to repeat (connection errors, 5xx)."""
        attempt = 0
        while True:
            attempt += 1
            try:
                result = self._watched(step, fn) if watched else fn()
                self.clock.touch()
                return result
            except CallError as err:
                if self.halt.is_set() and not watched:
                    raise
                again = (not err.aborted) and (not err.stalled) and (err.status is None or err.retryable_answer)
                if not again or attempt >= SAFE_TRIES:
                    if err.stalled:
                        raise _Stalled(step)
                    raise
                logger.info("%s failed (%s); retrying", step, err)
                delay = BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]
                if self.control.wait(delay) or (self.halt.is_set() and not watched):
                    raise _Cancelled()
                self.clock.touch()

    def _stall_text(self, step):
        return "stalled: no answer and no progress for {:g} s during {}".format(self.timeout, step)

    # -- progress ---------------------------------------------------------------------
    def _progress(self, force=False):
        now = time.monotonic()
        if not self.files or (not force and now - self.last_progress < PROGRESS_INTERVAL):
            return
        self.last_progress = now
        files = list(self.files.values())
        sending = [f for f in files if f.kind in ("single", "multi")]
        to_upload = sum(f.size for f in sending)
        uploaded = sum(min(f.sent, f.size) for f in sending)
        processed = sum(1 for f in files if f.md5)
        elapsed = now - self.started
        rate = 0.0
        remaining = None
        if self.upload_started is not None:
            spent = max(1e-6, now - self.upload_started)
            rate = uploaded / spent
            remaining = (to_upload - uploaded) / rate if rate > 0 else None
        progress = {}
        for f in files:
            entry = {"bytes_to_upload": 0, "bytes_uploaded": 0, "already_uploaded": False, "md5": f.md5,
                     "md5_was_cached": f.cached}
            if f.kind in ("single", "multi"):
                entry["bytes_to_upload"] = f.size
                entry["bytes_uploaded"] = min(f.sent, f.size)
            elif f.state == "held":
                entry["already_uploaded"] = True
            progress[f.path] = entry
        data = {
            "files_to_analyze": len(files),
            "files_to_upload": len(sending),
            "bytes_to_upload": float(to_upload) * ev.STATS_INFLATION,
            "bytes_uploaded": float(uploaded) * ev.STATS_INFLATION,
            "transfer_rate": rate * ev.STATS_INFLATION,
            "percent_complete": 100.0 * uploaded / to_upload if to_upload else 0.0,
            "elapsed_time": elapsed,
            "time_remaining": remaining,
            "processed_md5s": processed,
            "md5_percent": 100.0 * processed / len(files) if files else 100.0,
            "job_index": ev.SHARED_UPLOAD_INDEX,
            "job_title": "",
            "file_progress": progress,
        }
        self.emit(ev.Event(ev.PROGRESS, data))

    # -- jobs -------------------------------------------------------------------------
    def _create_all(self):
        stalled_at = None
        for job in self.jobs:
            if self.control.cancelled:
                self.emit(ev.cancelled(job.title))
                return
            self.emit(ev.job_start(job.index, job.title, phase=ev.CREATE_PHASE))
            if stalled_at is not None:
                self.emit(ev.error(ev.STALLED_TYPE, "not sent: Conductor stopped answering during {}; "
                                   "submit this job again".format(stalled_at), job.title))
                continue
            problem = self._problem(job)
            if problem is not None:
                self.emit(problem)
                continue
            outcome = self._create(job)
            if outcome == "cancelled":
                return
            if outcome == "stalled":
                stalled_at = "the job creation of {}".format(job.title)

    def _problem(self, job):
        """The error event of a job that cannot be created, or None."""
        if job.error is not None:
            return ev.error_from_exception(job.error, job.title)
        failure = self.shared_failure
        if failure is not None and (job.files and job.local or not failure.needs_files):
            return ev.error(failure.kind, "not created: {}".format(failure.args[0]), job.title)
        if not job.local:
            return None
        failed = [self.files[p] for p in job.files if p in self.files and self.files[p].state == "failed"]
        if not failed:
            return None
        first = failed[0]
        kind = ev.STALLED_TYPE if first.message.startswith("stalled") else UploadError.__name__
        message = "not created: {} of its {} file(s) could not be uploaded: {}".format(
            len(failed), len(job.files), first.message)
        details = "\n".join("{}: {}".format(f.path, f.message) for f in failed)
        return ev.error(kind, message, job.title, body=details)

    def _payload(self, job):
        """The jobs/ payload ciocore's Submit would send for this job."""
        args = dict(job.payload)
        if self.source.database_filepath:
            args["database_filepath"] = self.source.database_filepath
        # ciocompat's Submit sets local_upload for a job with no upload paths.
        submit = ciocompat.submit(args)
        for path in job.files:
            f = self.files.get(path)
            md5 = f.md5 if (f is not None and job.local) else None
            expanded = submit._expand_stats(path, md5)
            submit.payload["upload_files"].append(expanded)
            submit.payload["upload_size"] += expanded["st_size"]
        return submit.payload

    def _create(self, job):
        """Create one job; return "ok", "failed", "cancelled" or "stalled"."""
        try:
            body = json.dumps(self._payload(job))
        except (OSError, IOError) as err:  # a file vanished (or lost its permissions) since it was read
            self.emit(ev.error(UploadError.__name__, "not created: cannot read {}: {}".format(
                getattr(err, "filename", None) or "one of its files", err.strerror or err), job.title))
            return "failed"
        except Exception as err:  # a payload ciocore refuses
            self.emit(ev.error_from_exception(err, job.title))
            return "failed"
        step = "the job creation of {}".format(job.title)
        attempt = 0
        while True:
            attempt += 1
            self.clock.touch()
            call = BackgroundCall(lambda: self.calls.create_job(body, job.title),
                                  "ciokatana-create-{}".format(job.index))
            self.threads.append(call.thread)
            while not call.wait(POLL):
                if self.control.cancelled:
                    call.wait(self.source.create_grace)
                    if not call.finished.is_set():
                        self.calls.abort()
                        self.emit(ev.may_exist(job.title, "cancelled while its creation request was in flight",
                                               self.source.url))
                        return "cancelled"
                    self._answer(job, call, cancelled=True)
                    return "cancelled"
                if self.clock.idle() > self.timeout + 1.0:  # the socket timeout fires first
                    self.calls.abort()
                    call.wait(self.source.cancel_grace)
                    self.emit(ev.may_exist(job.title, self._stall_text(step), self.source.url))
                    return "stalled"
            err = call.error
            if isinstance(err, CallError) and not err.sent and err.status is None and attempt < SAFE_TRIES:
                logger.info("%s could not connect (%s); trying again", step, err)
                if self.control.wait(BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]):
                    self.emit(ev.cancelled(job.title))
                    return "cancelled"
                continue
            return self._answer(job, call)

    def _answer(self, job, call, cancelled=False):
        """Turn a finished creation call into the job's event."""
        err = call.error
        if err is None:
            answer, status = call.result
            self.emit(ev.response(answer, status, job.title))
            return "cancelled" if cancelled else "ok"
        if isinstance(err, CallError):
            if err.status is not None:
                message = "Conductor refused the job: {}".format(_cause(err))
                event = ev.error(JobCreationFailed.__name__, message, job.title, response_code=err.status,
                                 body=err.text or message)
                self.emit(event)
                return "cancelled" if cancelled else "failed"
            if err.stalled:
                self.emit(ev.may_exist(job.title, self._stall_text("the job creation of " + job.title),
                                       self.source.url))
                return "cancelled" if cancelled else "stalled"
            if err.sent:
                why = "cancelled while its creation request was in flight" if (cancelled or err.aborted) \
                    else "the connection was dropped before Conductor answered"
                self.emit(ev.may_exist(job.title, why, self.source.url))
                return "cancelled" if cancelled else "failed"
            self.emit(ev.error("ConnectionError", "not created: {}".format(err.args[0]), job.title))
            return "cancelled" if cancelled else "failed"
        self.emit(ev.error_from_exception(err, job.title))
        return "cancelled" if cancelled else "failed"


def _cause(err: CallError) -> str:
    """The service's error text with the status, else the call's message."""
    if err.text:
        line = ev.cause_line(err.text)
        if line:
            return "{} (HTTP {})".format(line, err.status) if err.status and "HTTP" not in line else line
    message = str(err.args[0]) if err.args else type(err).__name__
    for lead in ("{}: ".format(err.step), "{} failed: ".format(err.step)):
        if err.step and message.startswith(lead):  # the caller names the step itself
            return message[len(lead):]
    return message
