"""Submission events: the stream a runner emits and a mock file holds.

Layer: core. An event is ``{"event": TYPE, "data": {...}}`` on the wire
(mock files are JSON arrays of them), and an :class:`Event` in memory.
The data fields are exactly those of the existing Conductor Katana plugin,
so mock files move freely between the two:

=========  ===============================================================
event      data
=========  ===============================================================
start      job_count
job_start  job_index, job_title
progress   files_to_analyze, files_to_upload, bytes_to_upload,
           bytes_uploaded, transfer_rate, percent_complete (0-100),
           elapsed_time (seconds), time_remaining (seconds, optional),
           processed_md5s, md5_percent (0-100), job_index, job_title,
           file_progress: {path: {bytes_to_upload, bytes_uploaded,
           already_uploaded, md5, md5_was_cached}}
response   body, jobid, status, uri, response_code, job_title
error      body, exception, traceback, exception_type, job_title,
           status ("error"), response_code
done       (none)
=========  ===============================================================

Every run is ``start``, then per job ``job_start`` followed by any number of
``progress`` and one ``response`` or ``error``, and finally one ``done``. A
cancelled run ends its current job with an ``error`` whose exception_type
is ``UserCanceledError`` and starts no more jobs.

Caution: ciocore reports ``bytes_to_upload``, ``bytes_uploaded`` and
``transfer_rate`` multiplied by 1024 (so do files recorded by the existing
plugin). They are kept as reported for compatibility; anything shown to a
person must use :func:`true_bytes` or the per-file figures.
"""

from __future__ import annotations

import datetime
import math
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
OPTIONAL_FIELDS = {PROGRESS: ("time_remaining",)}

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
FIELD_TYPES = {
    "job_count": _WHOLE, "job_index": _WHOLE, "job_title": _TEXT,
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
CANCEL_TYPES = ("UserCanceledError", "UserCanceled", "UserCancelledError")
STATS_INFLATION = 1024.0


class EventFormatError(ValueError):
    """Data that is not a submission event; the message says what is wrong."""


@dataclass(frozen=True)
class Event:
    """One event: its type and its data dict."""

    type: str
    data: Dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> Dict[str, Any]:
        return {"event": self.type, "data": self.data}

    @classmethod
    def from_json(cls, raw: Any, where: str = "event") -> "Event":
        """Check and convert ``{"event", "data"}``. Raises EventFormatError."""
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

    # convenience
    @property
    def job_title(self) -> str:
        return str(self.data.get("job_title", ""))

    @property
    def is_cancel(self) -> bool:
        return self.type == ERROR and self.data.get("exception_type") in CANCEL_TYPES


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def start(job_count: int) -> Event:
    return Event(START, {"job_count": int(job_count)})


def job_start(job_index: int, job_title: str) -> Event:
    return Event(JOB_START, {"job_index": int(job_index), "job_title": job_title})


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
    trace = "".join(traceback_mod.format_exception(type(exc), exc, exc.__traceback__))
    return error(type(exc).__name__, str(exc), job_title, trace, response_code)


def canceled(job_title: str) -> Event:
    return error(
        "UserCanceledError",
        "Job submission was cancelled by the user",
        job_title,
        body="cancelled by the user; no further jobs were started",
    )


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
    return redact_event(event.to_json())
