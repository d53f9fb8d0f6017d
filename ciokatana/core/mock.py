"""Mock submissions: record a run's events to a file, or replay a file.

Layer: core. A mock file is a JSON array of events (see
:mod:`ciokatana.core.events`), the same format the existing Conductor Katana
plugin writes, so files move between the two unchanged.

Replay streams the file: one event is in memory at a time, so a file of
hundreds of megabytes replays in flat memory. Any JSON layout is read with
json_stream. Files laid out one event per line (as :class:`MockRecorder`
writes them) take a faster path that decodes each line on its own: quicker,
and it never holds Python's GIL for long (json_stream's native tokenizer
holds it for a whole event, which for an event listing thousands of files
would stall the dialog's UI thread; ``bench/bench_mock_replay.py``
measures it). A file cut off mid-way (a crash while recording) replays
every complete event and then reports the cut as an error event naming the
file and the count read. A file that is not a mock is refused with a
:class:`MockFileError` before anything is emitted when its start is wrong,
or with an error event when a later event is malformed.

Recording writes each event as it happens, flushed, so a crash leaves a
replayable prefix. Credentials are scrubbed from every recorded event, and
from every replayed event as it is read (files written by other tools may
hold them), so nothing downstream masks again.
"""

from __future__ import annotations

import io
import json
import os
import random
from typing import Optional

import json_stream

from ciokatana.core import events as ev
from ciokatana.core.redact import redact_event
from ciokatana.core.regular_file import NotRegularFile, open_regular
from ciokatana.core.runner import Control, Source
from ciokatana.core.settings import MAX_MOCK_INTERVAL
from ciokatana.core.wording import SIMULATED

SIMULATED_ERRORS = tuple((kind, "{} {}".format(message, SIMULATED)) for kind, message in (
    ("ConnectionError", "Connection aborted while uploading"),
    ("HTTPError", "503 Server Error: Service Unavailable for url: /jobs/"),
    ("TimeoutError", "The upload timed out"),
    ("UploadError", "Upload of a texture failed: md5 mismatch"),
    ("ValueError", "Invalid payload value"),
))


BOM = b"\xef\xbb\xbf"
# The layout check reads at most this much of the first line: in the
# one-event-per-line layout it is "[" alone; a longer first line (a whole
# file on one line) is streamed, never read whole.
_FIRST_LINE_LIMIT = 64


TOO_DEEP = ("event #{} is nested thousands of levels deep, which no mock event is (lists and objects "
            "a few levels deep); the file is damaged or not a mock")


class MockFileError(ValueError):
    """A mock file that cannot be replayed; the message names the file."""


def _open(path: str):
    """Open a mock file for reading; only regular files (a FIFO or a device
    would block the open, or the read, for ever). The open file is checked
    (``fstat``), so nothing can swap the path between a check and the open."""
    try:
        return open_regular(path)
    except FileNotFoundError:
        raise MockFileError("mock file {} does not exist".format(path))
    except NotRegularFile as err:
        if err.kind == "a folder":
            raise MockFileError("mock file {} is a folder".format(path))
        raise MockFileError("mock file {} is not a regular file ({}); save the events to a file".format(path, err.kind))
    except OSError as err:
        raise MockFileError("mock file {} cannot be read ({})".format(path, err.strerror or err))


def _stream(handle):
    """The top-level streaming list of a mock file, or MockFileError.
    A UTF-8 byte-order mark and leading white space are skipped."""
    handle.seek(0)
    if handle.read(3) != BOM:
        handle.seek(0)
    head = handle.read(1)
    while head and head in b" \t\r\n":
        head = handle.read(1)
    if not head:
        raise MockFileError("is empty")
    if head != b"[":
        raise MockFileError("is not a mock file: it does not start with a JSON array of events")
    handle.seek(handle.tell() - 1)
    try:
        return json_stream.load(handle)
    except (ValueError, StopIteration) as err:
        raise MockFileError("is not valid JSON ({})".format(err))


def check_mock_file(path: str) -> int:
    """Check that a file is a mock by reading its first event.

    Returns the job count its ``start`` event announces. Raises
    MockFileError with a message naming the file and the problem.
    """
    with _open(path) as handle:
        try:
            stream = _stream(handle)
            first = next(iter(stream), None)
            first = json_stream.to_standard_types(first) if first is not None else None
        except MockFileError as err:
            raise MockFileError("mock file {} {}".format(path, err))
        except RecursionError:
            raise MockFileError("mock file {}: {}".format(path, TOO_DEEP.format(1)))
        except (ValueError, StopIteration) as err:
            raise MockFileError("mock file {} is not valid JSON ({})".format(path, err))
    if first is None:
        raise MockFileError("mock file {} holds no events".format(path))
    try:
        event = ev.Event.from_data(first, "its first event")
    except ev.EventFormatError as err:
        raise MockFileError("mock file {} is not a mock: {}".format(path, err))
    if event.type != ev.START:
        raise MockFileError("mock file {} is not a mock: its first event is {!r}, not 'start'".format(path, event.type))
    return int(event.data.get("job_count") or 0)


class _Cut(Exception):
    """The file ends in the middle of an event (or before its closing ``]``)."""


def _is_line_layout(handle) -> bool:
    """Whether the file is ``[`` alone on a line, then one event per line."""
    first = handle.readline(_FIRST_LINE_LIMIT)
    while first and not first.strip() and first.endswith(b"\n"):
        first = handle.readline(_FIRST_LINE_LIMIT)
    if not first.endswith(b"\n") or first.strip().lstrip(BOM) != b"[":
        return False
    second = handle.readline().strip()
    try:
        obj = json.loads(second[:-1] if second.endswith(b",") else second)
    except ValueError:
        return False
    return isinstance(obj, dict) and "event" in obj


def _line_events(handle):
    """Raw events of a one-event-per-line file (position: after the ``[``)."""
    number = 0
    for line in handle:
        text = line.strip()
        if not text:
            continue
        if text == b"]":
            return
        closing = False
        if text.endswith(b","):
            text = text[:-1]
        elif text.endswith(b"]"):
            text, closing = text[:-1].rstrip(), True
        number += 1
        try:
            obj = json.loads(text)
        except RecursionError:
            raise ev.EventFormatError(TOO_DEEP.format(number))
        except ValueError as err:
            if not handle.read(1):
                raise _Cut(str(err))
            raise ev.EventFormatError("event #{} is not valid JSON ({})".format(number, err))
        yield obj
        if closing:
            return
    raise _Cut("the closing ']' is missing")


def _stream_events(handle):
    """Raw events of a file in any JSON layout, through json_stream."""
    return _stream_items(iter(_stream(handle)))


def _stream_items(items):
    number = 0
    while True:
        number += 1
        try:
            raw = next(items)
            raw = json_stream.to_standard_types(raw)
        except StopIteration:
            return
        except RecursionError:
            raise ev.EventFormatError(TOO_DEEP.format(number))
        except (ValueError, io.UnsupportedOperation, EOFError) as err:
            raise _Cut(str(err))
        yield raw


def raw_events(handle):
    """Every raw event object of an open mock file, streamed.

    Raises _Cut when the file ends mid-way, MockFileError when it is not a
    JSON array, EventFormatError for a line that is not JSON.
    """
    if _is_line_layout(handle):
        handle.seek(0)
        line = handle.readline()
        while line and not line.strip():
            line = handle.readline()
        return _line_events(handle)
    handle.seek(0)
    return _stream_events(handle)


class MockReplay(Source):
    """Replays a mock file at a fixed interval between events.

    Args:
        path: the mock file.
        interval: seconds between events (0 = as fast as possible). The
            dialog enforces at least ``settings.MIN_MOCK_INTERVAL``.
        rng: random generator for "raise an error" (tests pass a seeded one).
    """

    supports_raise_error = True

    def __init__(self, path: str, interval: float = 1.0, rng: Optional[random.Random] = None):
        if not 0 <= interval <= MAX_MOCK_INTERVAL:  # nan too; 1e300 would overflow the wait
            raise ValueError("mock interval must be 0 to {:g} seconds, not {}".format(MAX_MOCK_INTERVAL, interval))
        self.path = path
        self.interval = float(interval)
        self.rng = rng or random.Random()

    def run(self, emit, control: Control):
        title = ""
        job_open = False
        skipping = False
        read = 0
        job_count = None
        with _open(self.path) as handle:
            try:
                items = raw_events(handle)
            except MockFileError as err:
                raise MockFileError("mock file {} {}".format(self.path, err))
            while True:
                try:
                    raw = next(items)
                except StopIteration:
                    break
                except _Cut as err:
                    emit(self._cut(read, title, err))
                    return
                except ev.EventFormatError as err:
                    emit(ev.error("MockFileError", "mock file {}: {}; replay stopped".format(self.path, err), title))
                    return
                read += 1
                try:
                    try:
                        event = ev.Event.from_data(redact_event(raw), "event #{}".format(read))
                    except RecursionError:
                        raise ev.EventFormatError(TOO_DEEP.format(read))
                except ev.EventFormatError as err:
                    emit(
                        ev.error(
                            "MockFileError",
                            "mock file {}: {}; replay stopped".format(self.path, err),
                            title,
                        )
                    )
                    return
                if event.type == ev.DONE:
                    break
                if event.type == ev.START:
                    job_count = int(event.data["job_count"])
                elif event.type == ev.JOB_START and job_count is not None and int(event.data["job_index"]) >= job_count:
                    emit(ev.error("MockFileError", "mock file {}: event #{} (job_start) has job_index {}, but its start "
                                  "event announced {} job(s) (indexes 0 to {}); replay stopped".format(
                                      self.path, read, event.data["job_index"], job_count, job_count - 1),
                                  title if job_open else ""))
                    return
                if control.wait(self.interval if read > 1 else 0):
                    emit(ev.cancelled(title if job_open else ""))
                    return
                if control.take_raise() and job_open and not skipping:
                    kind, message = self.rng.choice(SIMULATED_ERRORS)
                    emit(ev.error(kind, message, title, trace=_fake_trace(kind, message)))
                    skipping = True
                    job_open = False
                if event.type == ev.JOB_START:
                    skipping = False
                    job_open = True
                    title = event.job_title
                elif skipping:
                    continue
                elif event.type in (ev.RESPONSE, ev.ERROR):
                    job_open = False
                emit(event)

    def _cut(self, read: int, title: str, err: Exception) -> ev.Event:
        return ev.error(
            "MockFileTruncated",
            "mock file {} ends after {} complete event(s) (cut off mid-way: {}); the rest could not be replayed".format(
                self.path, read, err
            ),
            title,
        )


def _fake_trace(kind: str, message: str) -> str:
    return (
        "Traceback (most recent call last):\n"
        '  File "ciokatana/core/mock.py", line 1, in replay\n'
        "    raise {}(...)\n"
        "{}: {}\n".format(kind, kind, message)
    )


class MockRecorder:
    """Writes events to a mock file as they happen.

    The file is a valid JSON array once :meth:`close` has run; before that
    (or after a crash) it is a replayable prefix. Events are scrubbed of
    credentials before they are written.
    """

    def __init__(self, path: str):
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise MockFileError("cannot record to {}: folder {} does not exist".format(path, folder))
        self.path = path
        try:
            self._handle = open(path, "w", encoding="utf-8")
        except OSError as err:
            raise MockFileError("cannot record to {} ({})".format(path, err.strerror or err))
        self._count = 0

    @property
    def count(self) -> int:
        return self._count

    def write(self, event: ev.Event) -> None:
        if self._handle is None:
            return
        text = json.dumps(ev.for_file(event), ensure_ascii=False, separators=(",", ":"))
        self._handle.write(("[\n" if self._count == 0 else ",\n") + text)
        self._handle.flush()
        self._count += 1

    def close(self) -> None:
        if self._handle is None:
            return
        self._handle.write("[\n]\n" if self._count == 0 else "\n]\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self._handle = None
