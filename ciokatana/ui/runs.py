"""What each submission run of the dialog did, built from its events.

Layer: ui, but Qt-free (tests and fakes use it without a window). The
controller feeds every event of a run to its :class:`RunRecord`
(:meth:`RunRecord.apply`) before the tabs see the event, so one object
interprets the stream for everyone: the Progress tab's bars, stats line and
file list, the per-job upload summary, and the Response tab's cards all
read the same record, and they cannot disagree.

- :class:`FileTally` holds the per-file figures of one upload (a job's
  files, or every job's files at once in the shared upload phase) with
  running totals. It is the single source of "bytes uploaded": ciocore's
  job totals are inflated x1024 and are not used for anything shown.
- :class:`JobRecord` is one job: its state (waiting, uploading, creating,
  submitted, failed, cancelled, may exist, not started), job id and link,
  message, and upload summary.
- :class:`RunRecord` is one run: its mode (a real submission, a mock
  replay, or a submission recorded to a mock file), its jobs and its
  outcome ("3 of 4 submitted, 1 failed" is a partial success, not a
  failure).

Event fields follow :mod:`ciokatana.core.events`, including the optional
ones of the shared upload (``job_index`` -1, ``start.upload_files`` and
``upload_bytes``), the creating phase (``job_start.phase == "create"``)
and the "may have been created" and "stalled" errors.
"""

import hashlib
import json
import time
from collections import Counter

from ciokatana.core import events as ev
from ciokatana.core.wording import failure_cause

SHARED_UPLOAD_INDEX = getattr(ev, "SHARED_UPLOAD_INDEX", -1)
MAY_EXIST_TYPE = getattr(ev, "MAY_EXIST_TYPE", "JobMayHaveBeenCreated")
STALLED_TYPE = getattr(ev, "STALLED_TYPE", "SubmissionStalled")

# Run modes.
SUBMIT, REPLAY, RECORD = "submit", "replay", "record"

# Job states.
WAITING = "waiting"
UPLOADING = "uploading"
CREATING = "creating"
SUBMITTED = "submitted"
FAILED = "failed"
CANCELLED = "cancelled"
MAY_EXIST = "may_exist"
NOT_STARTED = "not_started"
ENDED = (SUBMITTED, FAILED, CANCELLED, MAY_EXIST, NOT_STARTED)
DONE_STATES = (SUBMITTED, FAILED, MAY_EXIST)  # "done" on the Jobs bar: answered, not cancelled

# Run outcomes.
RUNNING, SUCCEEDED, PARTIAL, FAILED_RUN, CANCELLED_RUN, NOTHING = (
    "running", "succeeded", "partial", "failed", "cancelled", "nothing")

RATE_WINDOW_S = 15.0


def fingerprint(payload):
    """A short stable digest of a job payload: equal payloads make duplicate jobs."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def may_exist_reason(text):
    """Why a job may have been created, from the pipeline's message (see ``events.may_exist``).

    ``"T may have been created - check URL/jobs: its creation request was
    sent but no answer came (why)"`` gives ``"Its creation request was sent
    but no answer came (why)."``: the card already names the job and says
    "may have been created - check the dashboard". Other texts give "".
    """
    text = str(text or "").strip()
    at = text.find("its creation request")
    if at < 0:
        return ""
    reason = text[at:].splitlines()[0].rstrip(".")
    return reason[0].upper() + reason[1:] + "."


def id_range(jobids):
    """``["00012", "00013", "00014"]`` -> ``"00012\u201300014"``; other lists joined by commas."""
    ids = [str(j) for j in jobids if j]
    if not ids:
        return ""
    if len(ids) > 1 and all(i.isdigit() for i in ids):
        numbers = sorted(int(i) for i in ids)
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            width = len(ids[0])
            return "{}\u2013{}".format(str(numbers[0]).zfill(width), str(numbers[-1]).zfill(width))
    return ", ".join(ids)


class FileTally(object):
    """Per-file upload figures of one upload, with running totals.

    Rows live in flat lists (no object per file) and totals are kept
    incrementally, so a 20,000-file map costs one pass. Per-file figures are
    true bytes. Changes since the last :meth:`take_changes` are remembered
    as a row range, so a view can repaint just those rows.
    """

    def __init__(self, sizes=None):
        self.paths = []
        self._rows = {}
        self._sizes = sizes or {}  # {path: bytes} measured by the plan (ciocore reports 0 for cached files)
        self.values = []  # per row: [size, uploaded, cached, hashed]
        self.cached = 0
        self.cached_bytes = 0  # bytes of the files already on Conductor (not uploaded)
        self.hashed = 0
        self.finished = 0  # uploaded in full, or cached
        self.uploaded_files = 0  # not cached, uploaded in full
        self.total_bytes = 0  # bytes of the files that are not cached
        self.uploaded_bytes = 0
        self.updates = 0
        self._first = None
        self._last = None

    def __len__(self):
        return len(self.paths)

    @staticmethod
    def _entry(info):
        info = info or {}
        return [
            int(info.get("bytes_to_upload") or 0),
            int(info.get("bytes_uploaded") or 0),
            bool(info.get("already_uploaded")),
            bool(info.get("md5")),
        ]

    def update(self, file_progress):
        """Apply a whole or partial ``file_progress`` map."""
        self.updates += 1
        rows, values = self._rows, self.values
        first = last = None
        for path, info in file_progress.items():
            entry = self._entry(info)
            row = rows.get(path)
            if row is None:
                rows[path] = len(self.paths)
                self.paths.append(path)
                values.append(entry)
                self._account(path, entry, 1)
                continue
            old = values[row]
            if old == entry:
                continue
            self._account(path, old, -1)
            self._account(path, entry, 1)
            values[row] = entry
            if first is None or row < first:
                first = row
            if last is None or row > last:
                last = row
        if first is not None:
            self._first = first if self._first is None else min(first, self._first)
            self._last = last if self._last is None else max(last, self._last)

    def _account(self, path, entry, sign):
        size, uploaded, cached, hashed = entry
        if hashed or cached:
            self.hashed += sign
        if cached:
            self.cached += sign
            self.cached_bytes += sign * max(size, self._sizes.get(path, 0))
            self.finished += sign
            return
        self.total_bytes += sign * size
        self.uploaded_bytes += sign * min(uploaded, size)
        if size and uploaded >= size:
            self.finished += sign
            self.uploaded_files += sign

    def take_changes(self):
        """(first, last) rows whose figures changed since the last call, or None."""
        changed = None if self._first is None else (self._first, self._last)
        self._first = self._last = None
        return changed

    def row_of(self, path):
        return self._rows.get(path)

    def summary(self):
        return UploadSummary(len(self.paths), self.cached, self.uploaded_files, self.uploaded_bytes, self.total_bytes)


class UploadSummary(object):
    """What one upload did, kept after its rows are gone."""

    __slots__ = ("files", "cached", "uploaded_files", "uploaded_bytes", "total_bytes", "seconds")

    def __init__(self, files=0, cached=0, uploaded_files=0, uploaded_bytes=0, total_bytes=0, seconds=None):
        self.files = files
        self.cached = cached
        self.uploaded_files = uploaded_files
        self.uploaded_bytes = uploaded_bytes
        self.total_bytes = total_bytes
        self.seconds = seconds

    def text(self, human_bytes):
        """A sentence, with ``human_bytes(n)`` formatting sizes."""
        if not self.files:
            return "no files to upload"
        if not self.uploaded_files and self.cached == self.files:
            return "nothing uploaded: all {:,} files already on Conductor".format(self.files)
        text = "uploaded {:,} of {:,} files ({})".format(
            self.uploaded_files, self.files - self.cached, human_bytes(self.uploaded_bytes))
        if self.cached:
            text += ", {:,} already on Conductor".format(self.cached)
        return text


class UploadScope(object):
    """One upload in progress: its files, ciocore's latest figures, and rate samples.

    ciocore uploads files while it is still computing the checksums of
    others, so the figures never wait for MD5 to reach 100 %: files and
    bytes done (uploaded, or found already on Conductor) are counted from
    the first report, against the totals the plan measured
    (``known_files`` / ``known_bytes``: this upload's own files, every
    job's for the shared upload).
    """

    def __init__(self, job_index, known_files=None, known_bytes=None, sizes=None, created=None):
        self.job_index = job_index
        self.created = created  # when the upload began (before its first report)
        self.last_report = None  # when its latest progress report arrived
        self.reports = 0
        self.tally = FileTally(sizes)
        self.known_files = known_files
        self.known_bytes = known_bytes
        self.md5_percent = 0.0
        self.percent_complete = 0.0
        self.files_to_analyze = 0
        self.elapsed = None  # ciocore's figure (it reports every few seconds)
        self.started = None
        self.completed_at = None
        self._samples = []

    @property
    def shared(self):
        return self.job_index == SHARED_UPLOAD_INDEX

    def apply(self, data, now):
        if self.started is None:
            self.started = now
        if data.get("file_progress"):  # ciocore's first report, before any file is looked at, is empty
            self.last_report = now
            self.reports += 1
        self.tally.update(data.get("file_progress") or {})
        self.md5_percent = float(data.get("md5_percent") or 0.0)
        self.percent_complete = float(data.get("percent_complete") or 0.0)
        self.files_to_analyze = int(data.get("files_to_analyze") or 0)
        self.elapsed = ev.seconds(data.get("elapsed_time"))
        self._samples.append((now, self.bytes_done, self.tally.finished, self.tally.hashed))
        while len(self._samples) > 2 and now - self._samples[1][0] > RATE_WINDOW_S:
            self._samples.pop(0)
        if self.completed_at is None and self.complete:
            self.completed_at = now

    # -- figures ---------------------------------------------------------------
    @property
    def file_total(self):
        """Files of this upload: the known total when the plan or ``start`` told it."""
        return max(len(self.tally), self.files_to_analyze, self.known_files or 0)

    @property
    def byte_total(self):
        """Bytes of this upload's files, those already on Conductor included (the plan's figure if known)."""
        tally = self.tally
        return max(self.known_bytes or 0, tally.total_bytes + tally.cached_bytes)

    @property
    def bytes_done(self):
        """Bytes uploaded, plus those of files found already on Conductor."""
        return self.tally.uploaded_bytes + self.tally.cached_bytes

    @property
    def files_done(self):
        """Files uploaded in full, or found already on Conductor."""
        return self.tally.finished

    @property
    def hashing(self):
        """Checksums still being computed (some files' fate is not known yet)."""
        return self.md5_percent < 100.0

    @property
    def started_uploading(self):
        """Some file is uploaded (in part) or known to be on Conductor already."""
        tally = self.tally
        return tally.uploaded_bytes > 0 or tally.finished > 0

    @property
    def nothing_to_upload(self):
        tally = self.tally
        return not self.hashing and len(tally) > 0 and tally.total_bytes == 0

    @property
    def complete(self):
        tally = self.tally
        return not self.hashing and len(tally) > 0 and tally.finished >= len(tally)

    def elapsed_at(self, now):
        """Seconds since this upload began (stops when it completes): a live clock."""
        begun = self.created if self.created is not None else self.started
        if begun is None:
            return None
        end = self.completed_at if self.completed_at is not None else now
        return max(0.0, end - begun)

    def report_age(self, now):
        """Seconds since the uploader's latest report (None before the first)."""
        return None if self.last_report is None else max(0.0, now - self.last_report)

    def byte_rate(self):
        """Bytes a second over the last samples, or None."""
        samples = self._samples
        if len(samples) < 2 or samples[-1][0] <= samples[0][0]:
            return None
        return (samples[-1][1] - samples[0][1]) / (samples[-1][0] - samples[0][0])

    def remaining(self):
        """Seconds left from files *and* bytes still to go, or None while it cannot be told.

        Many small files take longer than their bytes suggest, so the
        estimate is the longest of "bytes left at the byte rate", "files
        left at the file rate" and, while checksums are still computed,
        "checksums left at the checksum rate", each measured over the last
        samples. While hashing it is an upper bound (files found already on
        Conductor are skipped), and nothing is said until uploads begin.
        """
        samples = self._samples
        if len(samples) < 2 or (self.hashing and not self.started_uploading):
            return None
        span = samples[-1][0] - samples[0][0]
        if span <= 0:
            return None
        lefts = (max(0, self.byte_total - self.bytes_done), max(0, self.file_total - self.files_done),
                 max(0, self.file_total - self.tally.hashed) if self.hashing else 0)
        if not any(lefts):
            return 0.0
        estimates = []
        for position, left in enumerate(lefts, start=1):
            if not left:
                continue
            rate = (samples[-1][position] - samples[0][position]) / span
            if rate <= 0:
                return None
            estimates.append(left / rate)
        return max(estimates)


class JobRecord(object):
    """One job of a run."""

    def __init__(self, index, title="", node="", fingerprint=""):
        self.index = index
        self.title = title
        self.node = node
        self.fingerprint = fingerprint
        self.state = WAITING
        self.jobid = ""
        self.link = ""
        self.message = ""
        self.details = ""
        self.exception_type = ""
        self.started = None
        self.creating_since = None
        self.create_announced = False  # the source said "phase: create" (it knows whether its request went out)
        self.ended = None
        self.upload = None  # UploadSummary once its upload is over

    @property
    def ended_state(self):
        return self.state in ENDED

    @property
    def label(self):
        return self.title or "Job {}".format(self.index + 1)

    def __repr__(self):
        return "JobRecord({}, {!r}, {})".format(self.index, self.title, self.state)


class RunRecord(object):
    """One run of the dialog, built up from its events (see the module docstring).

    Args:
        number: 1 for the dialog's first run, 2 for the next...
        mode: SUBMIT, REPLAY (a mock file played back: nothing is sent) or
            RECORD (a real submission recorded to a mock file).
        planned: ``[(node, title, payload), ...]`` of the jobs about to be
            submitted, in order (empty for a replay: its jobs are the file's).
        mock_file: the mock file replayed or recorded.
        link_for: ``link_for(jobid) -> url`` for real jobs; never used for
            a replay, whose job ids are not jobs.
        known_files / known_bytes: the distinct files the plan uploads and
            their bytes, for "files N of M" before ciocore has counted them.
        can_raise_error: the source can fail a job on request (mock replays).
    """

    def __init__(self, number, mode=SUBMIT, planned=(), mock_file="", link_for=None, known_files=None,
                 known_bytes=None, can_raise_error=False, clock=time.monotonic):
        self.number = number
        self.mode = mode
        self.mock_file = mock_file
        self.link_for = link_for
        self.known_files = known_files
        self.known_bytes = known_bytes
        self.can_raise_error = can_raise_error
        self.clock = clock
        self.started_at = time.time()
        self.finished_at = None
        self.state = RUNNING  # the runner's final state once finished
        self.job_count = len(planned)
        self.jobs = [JobRecord(i, title, node, fingerprint(payload)) for i, (node, title, payload) in enumerate(planned)]
        self._job_paths = [sorted(set((payload or {}).get("upload_paths") or [])) for _n, _t, payload in planned]
        self.current = None  # index of the job being worked on
        self.scope = None  # the UploadScope in progress (a job's, or the shared one)
        self.shared = None  # the shared UploadScope, if the run had one
        self.shared_summary = None  # its UploadSummary once the run is over
        self.events = 0
        self.last_job = None  # the JobRecord the last event concerned
        self.cancelled_before_jobs = False  # cancelled during the shared upload
        self.file_sizes = {}  # {path: bytes} the plan measured (shown for files already on Conductor)

    # -- what kind of run --------------------------------------------------------
    @property
    def mock(self):
        """A replay: nothing was sent to Conductor and its job ids are not jobs."""
        return self.mode == REPLAY

    @property
    def finished(self):
        return self.finished_at is not None

    @property
    def verb(self):
        return "replayed" if self.mock else "submitted"

    # -- feeding ---------------------------------------------------------------
    def apply(self, event):
        """Update the record from one event; returns the JobRecord it concerned (or None)."""
        self.events += 1
        handler = getattr(self, "_on_" + event.type, None)
        self.last_job = handler(event.data) if handler is not None else None
        return self.last_job

    def _on_start(self, data):
        self.job_count = int(data.get("job_count") or 0)
        if data.get("upload_files") is not None:
            self.known_files = int(data["upload_files"])
        if data.get("upload_bytes") is not None:
            self.known_bytes = int(data["upload_bytes"])
        self._job(self.job_count - 1)
        return None

    def _on_job_start(self, data):
        index = int(data.get("job_index") or 0)
        job = self._job(index)
        job.title = str(data.get("job_title") or job.title)
        job.started = self.clock()
        self.current = index
        if data.get("phase") == "create":
            job.create_announced = True
            self._creating(job)
        else:
            job.state = UPLOADING
            self.scope = UploadScope(index, *self._job_totals(index), sizes=self.file_sizes, created=job.started)
        return job

    def _job_totals(self, index):
        """(files, bytes) one job uploads, from its planned payload; (None, None) when not planned."""
        if index < len(self._job_paths) and self._job_paths[index]:
            paths = self._job_paths[index]
            return len(paths), sum(self.file_sizes.get(path, 0) for path in paths) or None
        if self.job_count <= 1 and self.known_files is not None:
            return self.known_files, self.known_bytes  # the run's one job: its totals are the run's
        return None, None

    def _on_progress(self, data):
        index = data.get("job_index")
        now = self.clock()
        if index == SHARED_UPLOAD_INDEX:
            if self.shared is None:
                self.shared = UploadScope(SHARED_UPLOAD_INDEX, self.known_files, self.known_bytes, self.file_sizes,
                                          created=now)
                self.scope = self.shared
            self.shared.apply(data, now)
            return None
        if index is not None and index != self.current:
            return None  # a straggler of a job that has ended
        job = self.current_job
        scope = self.scope
        if job is None or scope is None or scope.job_index != job.index:
            return job
        scope.apply(data, now)
        if job.state == UPLOADING and scope.complete:
            self._creating(job)
        return job

    def _creating(self, job):
        job.state = CREATING
        job.creating_since = self.clock()

    def _on_response(self, data):
        job = self._late_answer(data) or self._job_for(data)
        job.state = SUBMITTED
        job.jobid = str(data.get("jobid") or "")
        job.link = self.link_for(job.jobid) if (self.link_for and job.jobid and not self.mock) else ""
        job.message = str(data.get("body") or "").strip()
        self._end(job)
        return job

    def _on_error(self, data):
        kind = str(data.get("exception_type") or "Error")
        if not data.get("job_title") and self.current is None and self.jobs and kind in ev.CANCEL_TYPES:
            # Cancelled during the shared upload, before any job began: nothing was created, and
            # no job of the plan is this event's (each is listed as not started when the run ends).
            self.cancelled_before_jobs = True
            return None
        job = self._job_for(data)
        job.exception_type = kind
        raw = str(data.get("exception") or data.get("body") or "failed")
        text, _rest = failure_cause(raw)  # the cause in plain words first; the raw answer in the details
        job.details = "\n\n".join(p for p in ("{}: {}".format(kind, raw), str(data.get("traceback") or ""))
                                   if p.strip())
        if kind in ev.CANCEL_TYPES and job.state == CREATING and job.create_announced:
            # The shared path tells a request in flight ("may have been created") from one never sent.
            job.state = CANCELLED
            job.message = "Cancelled before its creation request reached Conductor: no job was created."
            job.details = str(data.get("body") or "")
        elif kind in ev.CANCEL_TYPES and job.state == CREATING:
            # ciocore's Submit: its files were up, and its creation request may have reached Conductor.
            job.state = MAY_EXIST
            job.message = "Cancelled while Conductor was creating it: its creation request may have arrived."
            job.details = str(data.get("body") or "")
        elif kind in ev.CANCEL_TYPES:
            job.state = CANCELLED
            job.message = "Cancelled before Conductor created the job."
            job.details = str(data.get("body") or "")
        elif kind == MAY_EXIST_TYPE or data.get("may_exist"):
            job.state = MAY_EXIST
            job.message = may_exist_reason(raw) or text
        else:
            job.state = FAILED
            job.message = text
        self._end(job)
        return job

    def _on_done(self, _data):
        for job in self.jobs:
            if job.ended_state:
                continue
            if job.state == CREATING:  # the request may have reached Conductor: it may exist
                job.state = MAY_EXIST
                job.message = "The run ended while Conductor was creating it: its creation request may have arrived."
                continue
            job.state = NOT_STARTED if job.started is None else FAILED
            if job.state == FAILED and not job.message:
                job.message = "The run ended before Conductor answered for this job."
        if self.shared is not None:
            self.shared_summary = self.shared.tally.summary()
        self.scope = None if self.shared is None else self.shared
        return None

    def _end(self, job):
        job.ended = self.clock()
        scope = self.scope
        if scope is not None and scope.job_index == job.index:
            summary = scope.tally.summary()
            if scope.started is not None:
                summary.seconds = job.ended - scope.started
            job.upload = summary

    def finish(self, state):
        """The runner finished in ``state`` (succeeded, failed or cancelled)."""
        self.state = state
        self.finished_at = time.time()
        self._on_done({})  # jobs the run never answered for, if 'done' was lost

    # -- lookups ---------------------------------------------------------------
    def _job(self, index):
        while len(self.jobs) <= index:
            self.jobs.append(JobRecord(len(self.jobs)))
        return self.jobs[index] if index >= 0 else None

    @property
    def current_job(self):
        return self.jobs[self.current] if self.current is not None and self.current < len(self.jobs) else None

    def _late_answer(self, data):
        """The job marked "may have been created" that this answer is for, if any.

        Conductor's answer may come after a job was ended as "may have been
        created" (the contract allows it, even after a cancel): the job id
        then replaces that state, on the same job, not as another job.
        """
        title = str(data.get("job_title") or "")
        current = self.current_job
        if current is not None and not current.ended_state and (not title or current.title == title):
            return None
        for job in self.jobs:
            if job.state == MAY_EXIST and title and job.title == title:
                return job
        return None

    def _job_for(self, data):
        title = str(data.get("job_title") or "")
        job = self.current_job
        if job is not None and not job.ended_state and (not title or job.title == title):
            return job
        for candidate in self.jobs:
            if title and candidate.title == title and not candidate.ended_state:
                return candidate
        job = self._job(len(self.jobs))
        job.title = title
        job.started = self.clock()
        return job

    # -- results ---------------------------------------------------------------
    def counts(self):
        return Counter(job.state for job in self.jobs)

    @property
    def done_count(self):
        """Jobs Conductor answered for (submitted, failed, may exist); cancelled ones are not done."""
        return sum(1 for job in self.jobs if job.state in DONE_STATES)

    def outcome(self):
        if not self.finished:
            return RUNNING
        counts = self.counts()
        if not self.jobs:
            return NOTHING
        ok = counts[SUBMITTED]
        if ok == len(self.jobs):
            return SUCCEEDED
        if ok or counts[MAY_EXIST]:
            return PARTIAL
        if counts[CANCELLED] or (counts[NOT_STARTED] and not counts[FAILED]):
            return CANCELLED_RUN
        return FAILED_RUN

    def mock_lead(self):
        """How a mock replay ended, before its summary: with errors, cancelled, or finished."""
        counts = self.counts()
        if counts[FAILED] or counts[MAY_EXIST]:
            return "Mock replay ended with errors"
        if counts[CANCELLED] or counts[NOT_STARTED]:
            return "Mock replay cancelled"
        return "Mock replay finished"

    def partial_lead(self):
        """The words before a partial run's summary: "Partly submitted", or, when no job is
        confirmed and some may have been created, "Check the dashboard" (never "submitted" for 0 jobs)."""
        counts = self.counts()
        if not counts[SUBMITTED] and counts[MAY_EXIST]:
            return "Check the dashboard"
        return "Partly submitted"

    def summary_text(self):
        """``3 of 4 jobs submitted, 1 failed`` (``replayed`` for a mock), or how far it got."""
        counts = self.counts()
        total = len(self.jobs)
        parts = ["{} of {} job{} {}".format(counts[SUBMITTED], total, "" if total == 1 else "s", self.verb)]
        for state, word in ((FAILED, "failed"), (MAY_EXIST, "may have been created"), (CANCELLED, "cancelled"),
                            (NOT_STARTED, "not started")):
            if counts[state]:
                parts.append("{} {}".format(counts[state], word))
        return ", ".join(parts)

    def unfinished_jobs(self):
        """Jobs that did not get a job on Conductor and can be sent again (failed, cancelled, not started)."""
        return [job for job in self.jobs if job.state in (FAILED, CANCELLED, NOT_STARTED)]

