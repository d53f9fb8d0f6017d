"""Submission events: the stream a runner emits and a mock file holds.

Layer: core. An event is ``{"event": TYPE, "data": {...}}`` on the wire
(mock files are JSON arrays of them), and an :class:`Event` in memory.
The data fields are exactly those of the existing Conductor Katana plugin,
so mock files move freely between the two:

=========  ===============================================================
event      data
=========  ===============================================================
start      job_count; optional upload_files, upload_bytes
job_start  job_index, job_title; optional phase ("create" or "upload")
progress   files_to_analyze, files_to_upload, bytes_to_upload,
           bytes_uploaded, transfer_rate, percent_complete (0-100),
           elapsed_time (seconds), time_remaining (seconds, optional),
           processed_md5s, md5_percent (0-100), job_index, job_title,
           file_progress: {path: {bytes_to_upload, bytes_uploaded,
           already_uploaded, md5, md5_was_cached}}
response   body, jobid, status, uri, response_code, job_title
error      body, exception, traceback, exception_type, job_title,
           status ("error"), response_code; optional may_exist
done       (none)
=========  ===============================================================

Every run is ``start``, then per job ``job_start`` followed by any number of
``progress`` and one ``response`` or ``error``, and finally one ``done``. A
cancelled run ends its current job with an ``error`` whose exception_type
is ``UserCanceledError`` and starts no more jobs; jobs that never started
get no events (a reader counts them from ``start``'s ``job_count``).

Optional fields (a reader that ignores them still works; old files, the
published plugin's included, have none of them):

- **Shared upload.** The default submission path uploads the union of
  every job's files once, then creates the jobs. Its ``progress`` events
  carry ``job_index`` :data:`SHARED_UPLOAD_INDEX` (-1) and ``job_title``
  ``""`` and come after ``start``, before the first ``job_start``.
  ``start`` then carries ``upload_files`` (distinct files) and
  ``upload_bytes`` (their true byte total, not x1024). A cancel during the
  shared upload ends it with one ``UserCanceledError`` error whose
  ``job_title`` is ``""``: no job was created.
- **Creating.** In that path each ``job_start`` carries ``phase:
  "create"``: its files are already on Conductor and only the
  job-creation request follows (ciocore's per-job path sends no phase).
- **May have been created.** When a job's creation request may have
  reached Conductor but no answer came (a cancel or a stall while
  ``jobs/`` was in flight), the job ends with an ``error`` whose
  exception_type is :data:`MAY_EXIST_TYPE` (``JobMayHaveBeenCreated``)
  and whose ``may_exist`` is true. It is not a cancel. If the answer does
  come in time, even after a cancel, the job gets its ``response``.
- **Stalled.** A job that got no answer and made no progress for the
  run's timeout ends with an ``error`` whose exception_type is
  :data:`STALLED_TYPE` (``SubmissionStalled``) and whose text names the
  step (login, upload URLs, upload of FILE, multipart finish, job
  creation). A stall in job creation is reported as "may have been
  created" instead.

:func:`cause_line` picks the line of an error that says why (the
service's ``error`` text, the exception's last line), for one-line
displays.

Caution: ciocore reports ``bytes_to_upload``, ``bytes_uploaded`` and
``transfer_rate`` multiplied by 1024 (so do files recorded by the existing
plugin, and so does the shared upload, to stay readable by them). They are
kept as reported for compatibility; anything shown to a person must use
:func:`true_bytes` or the per-file figures.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import traceback as traceback_mod
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

from ciokatana.core.redact import redact_event, redact_text

START = "start"
JOB_START = "job_start"
PROGRESS = "progress"
RESPONSE = "response"
ERROR = "error"
DONE = "done"

FIELDS = {
    START: ("job_count",),
    JOB_START: ("job_index", "job_title"),
    PROGRESS: (
        "files_to_analyze",
        "files_to_upload",
        "bytes_to_upload",
        "bytes_uploaded",
        "transfer_rate",
        "percent_complete",
        "elapsed_time",
        "processed_md5s",
        "md5_percent",
        "job_index",
        "job_title",
        "file_progress",
    ),
    RESPONSE: ("body", "jobid", "status", "uri", "response_code", "job_title"),
    ERROR: ("body", "exception", "traceback", "exception_type", "job_title", "status", "response_code"),
    DONE: (),
}
OPTIONAL_FIELDS = {
    START: ("upload_files", "upload_bytes"),
    JOB_START: ("phase",),
    PROGRESS: ("time_remaining",),
    ERROR: ("may_exist",),
}

# What each field may hold (None allowed where the existing plugin writes
# it). A replayed file with another type is refused with the field named,
# before a presenter could crash on it.
_NUMBER = "number"
_WHOLE = "whole number"
_TEXT = "string"
_TEXT_OR_NONE = "string or null"
_NUMBER_OR_NONE = "number or null"
_MAP = "object"
_SECONDS = "number of seconds"  # the existing plugin writes str(timedelta): "0:00:05.000123"
_SECONDS_OR_NONE = "number of seconds or null"
_ANY = "anything"
_INDEX = "whole number (or -1, the shared upload)"
_FLAG = "true or false"
FIELD_TYPES = {
    "job_count": _WHOLE, "job_index": _INDEX, "job_title": _TEXT,
    "upload_files": _WHOLE, "upload_bytes": _NUMBER, "phase": _TEXT_OR_NONE, "may_exist": _FLAG,
    "files_to_analyze": _NUMBER, "files_to_upload": _NUMBER, "bytes_to_upload": _NUMBER,
    "bytes_uploaded": _NUMBER, "transfer_rate": _NUMBER, "percent_complete": _NUMBER,
    "elapsed_time": _SECONDS, "time_remaining": _SECONDS_OR_NONE, "processed_md5s": _NUMBER,
    "md5_percent": _NUMBER, "file_progress": _MAP,
    "body": _ANY, "jobid": _TEXT_OR_NONE, "status": _TEXT_OR_NONE, "uri": _TEXT_OR_NONE,
    "response_code": _NUMBER_OR_NONE, "exception": _TEXT_OR_NONE, "traceback": _TEXT_OR_NONE,
    "exception_type": _TEXT_OR_NONE,
}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _fits(value: Any, kind: str) -> bool:
    if kind == _ANY:
        return True
    if kind.endswith(" or null") and value is None:
        return True
    base = kind.replace(" or null", "")
    if base == _SECONDS:
        return _is_number(value) or (isinstance(value, str) and seconds(value) is not None)
    if base == _TEXT:
        return isinstance(value, str) or (kind == _TEXT_OR_NONE and _is_number(value))  # jobid 42
    if base == _NUMBER:
        return _is_number(value)
    if base == _WHOLE:
        return _is_number(value) and float(value).is_integer() and value >= 0
    if base == _INDEX:
        return _is_number(value) and float(value).is_integer() and value >= -1
    if base == _FLAG:
        return isinstance(value, bool)
    if base == _MAP:
        return isinstance(value, dict)
    return False  # pragma: no cover
# Each entry of a progress event's file_progress: {path: {...}}.
FILE_FIELD_TYPES = (
    ("bytes_to_upload", _NUMBER_OR_NONE), ("bytes_uploaded", _NUMBER_OR_NONE),
    ("already_uploaded", "boolean or null"), ("md5", _TEXT_OR_NONE), ("md5_was_cached", "boolean or null"),
)


def _check_file_progress(files: Dict[str, Any], where: str) -> None:
    """Every file_progress entry must be an object whose known fields have
    their types (``{"/a": 5}`` would break every presenter). Raises
    EventFormatError naming the file and field."""
    for path, entry in files.items():
        if type(entry) is not dict:
            raise EventFormatError("{} (progress) has file_progress[{}] = {}: it must be an object".format(
                where, _shown(path), _shown(entry)))
        for name, kind in FILE_FIELD_TYPES:
            if name in entry:
                value = entry[name]
                if value is None:
                    continue
                ok = isinstance(value, bool) if kind.startswith("boolean") else _fits(value, kind)
                if not ok:
                    raise EventFormatError("{} (progress) has file_progress[{}].{} = {}: it must be a {}".format(
                        where, _shown(path), name, _shown(value), kind))


TYPES = tuple(FIELDS)
#: The exception_type of a cancel this package writes (ciocore's own exception name).
CANCEL_TYPE = "UserCanceledError"
#: Every exception_type read as a cancel: ciocore's name, and the spellings
#: older mock files carry. These are wire strings, compared and never renamed;
#: identifiers in this package spell it "cancelled".
CANCEL_TYPES = (CANCEL_TYPE, "UserCanceled", "UserCancelledError")
STATS_INFLATION = 1024.0
SHARED_UPLOAD_INDEX = -1
CREATE_PHASE = "create"
UPLOAD_PHASE = "upload"
MAY_EXIST_TYPE = "JobMayHaveBeenCreated"
STALLED_TYPE = "SubmissionStalled"
CAUSE_LIMIT = 300


class EventFormatError(ValueError):
    """Data that is not a submission event; the message says what is wrong."""


@dataclass(frozen=True)
class Event:
    """One event: its type and its data dict."""

    type: str
    data: Dict[str, Any] = field(default_factory=dict)

    def to_data(self) -> Dict[str, Any]:
        """The wire form, a plain dict ``{"event", "data"}`` (``json.dumps`` makes it JSON)."""
        return {"event": self.type, "data": self.data}

    @classmethod
    def from_data(cls, raw: Any, where: str = "event") -> "Event":
        """Check and convert the wire form ``{"event", "data"}`` (a dict, as
        ``json.load`` gives it). Raises EventFormatError."""
        if not isinstance(raw, dict) or "event" not in raw:
            raise EventFormatError("{} is not an object with an 'event' key".format(where))
        kind = raw["event"]
        if kind not in FIELDS:
            raise EventFormatError(
                "{} has unknown type {!r}; known types are {}".format(where, kind, ", ".join(TYPES))
            )
        data = raw.get("data", {})
        if data is None and kind == DONE:
            data = {}
        if not isinstance(data, dict):
            raise EventFormatError("{} ({}) has 'data' that is not an object".format(where, kind))
        missing = [k for k in FIELDS[kind] if k not in data]
        if missing:
            raise EventFormatError("{} ({}) lacks {}".format(where, kind, ", ".join(missing)))
        for name in FIELDS[kind] + OPTIONAL_FIELDS.get(kind, ()):
            if name in data and not _fits(data[name], FIELD_TYPES[name]):
                raise EventFormatError("{} ({}) has {} = {}: it must be a {}".format(
                    where, kind, name, _shown(data[name]), FIELD_TYPES[name]))
        if kind == PROGRESS:
            _check_file_progress(data["file_progress"], where)
        return cls(kind, data)

    # The 0.2 names: they take and give dicts, not JSON text.
    to_json = to_data
    from_json = from_data

    # convenience
    @property
    def job_title(self) -> str:
        return str(self.data.get("job_title", ""))

    @property
    def is_cancel(self) -> bool:
        return self.type == ERROR and self.data.get("exception_type") in CANCEL_TYPES

    @property
    def may_exist(self) -> bool:
        """An error for a job Conductor may have created (check the dashboard)."""
        return self.type == ERROR and (
            self.data.get("exception_type") == MAY_EXIST_TYPE or self.data.get("may_exist") is True
        )

    @property
    def is_shared_upload(self) -> bool:
        """A progress event of the shared upload (no job of its own)."""
        return self.type == PROGRESS and self.data.get("job_index") == SHARED_UPLOAD_INDEX


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def start(job_count: int, upload_files: Optional[int] = None, upload_bytes: Optional[int] = None) -> Event:
    data = {"job_count": int(job_count)}  # type: Dict[str, Any]
    if upload_files is not None:
        data["upload_files"] = int(upload_files)
        data["upload_bytes"] = int(upload_bytes or 0)
    return Event(START, data)


def job_start(job_index: int, job_title: str, phase: Optional[str] = None) -> Event:
    data = {"job_index": int(job_index), "job_title": job_title}  # type: Dict[str, Any]
    if phase:
        data["phase"] = phase
    return Event(JOB_START, data)


def done() -> Event:
    return Event(DONE, {})


def response(body: Dict[str, Any], response_code: int, job_title: str) -> Event:
    body = body or {}
    return Event(
        RESPONSE,
        {
            "body": body.get("body", ""),
            "jobid": body.get("jobid", ""),
            "status": body.get("status", ""),
            "uri": body.get("uri", ""),
            "response_code": response_code,
            "job_title": job_title,
        },
    )


def error(
    exception_type: str,
    message: str,
    job_title: str,
    trace: str = "",
    response_code: Optional[int] = None,
    body: str = "",
) -> Event:
    """An error event; text is scrubbed of credentials."""
    return Event(
        ERROR,
        {
            "body": redact_text(body or "job submission failed: {}".format(message)),
            "exception": redact_text(message),
            "traceback": redact_text(trace),
            "exception_type": exception_type,
            "job_title": job_title,
            "status": "error",
            "response_code": response_code,
        },
    )


def error_from_exception(exc: BaseException, job_title: str, response_code: Optional[int] = None) -> Event:
    """An error event from an exception; its text starts with the cause line."""
    trace = "".join(traceback_mod.format_exception(type(exc), exc, exc.__traceback__))
    message = str(exc).strip() or type(exc).__name__
    cause = cause_line(message)
    first = message.splitlines()[0].strip() if message else ""
    if cause and cause != first:
        message = "{}\n\n{}".format(cause, message)
    return error(type(exc).__name__, message, job_title, trace, response_code)


def cancelled(job_title: str, body: str = "cancelled by the user; no further jobs were started") -> Event:
    return error(CANCEL_TYPE, "Job submission was cancelled by the user", job_title, body=body)


canceled = cancelled  # the 0.2 name, for code written against it


def may_exist(job_title: str, why: str, url: Optional[str] = None) -> Event:
    """A job whose creation request may have reached Conductor, with no answer."""
    where = "{}/jobs".format(url.rstrip("/")) if url else "the Conductor dashboard"
    message = (
        "{} may have been created - check {}: its creation request was sent but no answer came ({})".format(
            job_title or "The job", where, why
        )
    )
    event = error(MAY_EXIST_TYPE, message, job_title, body=message)
    event.data["may_exist"] = True
    return event


def stalled(job_title: str, step: str, seconds: float, detail: str = "") -> Event:
    """A job that got no answer and made no progress for ``seconds`` during ``step``."""
    message = "stalled: no answer and no progress for {:g} s during {}".format(seconds, step)
    if detail:
        message += "; " + detail
    return error(STALLED_TYPE, message, job_title)


_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)
_HTTP_CODE = re.compile(r"\b(?:Error|HTTP|status)\s*:?\s*([1-5][0-9][0-9])\b")
_VAGUE = ("could not upload files", "job submission failed", "traceback (most recent call last)")


def _service_text(text: str) -> str:
    """The ``error``/``message`` of a JSON answer quoted in text, or ''."""
    match = _JSON_OBJECT.search(text)
    if not match:
        return ""
    try:
        body = json.loads(match.group(0))
    except ValueError:
        return ""
    if isinstance(body, dict):
        for key in ("error", "message", "detail", "body"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def cause_line(text: str, limit: int = CAUSE_LIMIT) -> str:
    """The one line of an error's text that says why it failed.

    The service's own ``error`` text when the message quotes an answer
    (with its HTTP status), else the last line of a traceback or of a
    message whose first line only announces a failure ("Could not upload
    files, encountered 1 errors:"), else the first line. Capped at
    ``limit`` characters and scrubbed of credentials.
    """
    text = str(text or "").strip()
    if not text:
        return ""
    service = _service_text(text)
    if service:
        code = _HTTP_CODE.search(text)
        line = "{} (HTTP {})".format(service, code.group(1)) if code else service
    else:
        lines = [x.strip() for x in text.splitlines() if x.strip()]
        line = lines[0]
        vague = line.endswith(":") or any(line.lower().startswith(v) for v in _VAGUE)
        if vague and len(lines) > 1:
            tail = [x for x in lines[1:] if not x.startswith(("File ", "Error ", "Traceback", "^"))]
            line = tail[-1] if tail else lines[-1]
    line = redact_text(" ".join(line.split()))
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _value(stat: Any) -> Any:
    return getattr(stat, "value", stat)


def _seconds(value: Any) -> Optional[float]:
    value = _value(value)
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def seconds(value: Any) -> Optional[float]:
    """Seconds from a number, a timedelta, or str(timedelta) ('0:01:02.5')."""
    if isinstance(value, str) and ":" in value:
        try:
            parts = [float(p) for p in value.split(":")]
        except ValueError:
            return None
        total = 0.0
        for part in parts:
            total = total * 60 + part
        return total
    return _seconds(value)


def progress_from_stats(stats: Any, job_index: int, job_title: str) -> Event:
    """A progress event from ciocore's ``UploadStats``."""
    files = {}
    for path, info in (_value(stats.file_progress) or {}).items():
        info = info or {}
        files[str(path)] = {
            "bytes_to_upload": int(info.get("bytes_to_upload") or 0),
            "bytes_uploaded": int(info.get("bytes_uploaded") or 0),
            "already_uploaded": bool(info.get("already_uploaded", False)),
            "md5": info.get("md5"),
            "md5_was_cached": bool(info.get("md5_was_cached") or False),
        }
    analyze = int(stats.files_to_analyze or 0)
    processed = sum(1 for f in files.values() if f["md5"])
    percent = _value(stats.percent_complete)
    data = {
        "files_to_analyze": analyze,
        "files_to_upload": int(stats.files_to_upload or 0),
        "bytes_to_upload": float(_value(stats.bytes_to_upload) or 0),
        "bytes_uploaded": float(_value(stats.bytes_uploaded) or 0),
        "transfer_rate": float(_value(stats.transfer_rate) or 0),
        "percent_complete": 100.0 * float(percent) if percent is not None else 0.0,
        "elapsed_time": _seconds(stats.elapsed_time) or 0.0,
        "time_remaining": _seconds(stats.time_remaining),
        "processed_md5s": processed,
        "md5_percent": (100.0 * processed / analyze) if analyze else 100.0,
        "job_index": int(job_index),
        "job_title": job_title,
        "file_progress": files,
    }
    return Event(PROGRESS, data)


def true_bytes(reported: Any) -> float:
    """Undo ciocore's x1024 on bytes_to_upload / bytes_uploaded / transfer_rate."""
    try:
        return float(reported) / STATS_INFLATION
    except (TypeError, ValueError):
        return 0.0


def for_file(event: Event) -> Dict[str, Any]:
    """The wire form of an event with credentials scrubbed (mock files)."""
    return redact_event(event.to_data())
