"""Frames, chunks and scout frames, on top of cioseq.

Layer: core. Every function raises :class:`FrameSpecError` with a message an
artist can act on (what was typed, what is expected) instead of cioseq's
terse errors, and refuses specs so large that expanding them would freeze
the session.

Katana's ``-t`` flag takes ``1-5,10,20-24`` but not step notation, so
:func:`katana_frames` writes each chunk as runs and single frames.

Chunking is linear in the number of frames: :func:`chunk_texts` walks the
frame list once and writes each chunk's text itself, with the exact text
cioseq's ``str(Sequence)`` gives (cioseq's own ``chunks()`` copies the whole
frame list once per chunk, which is quadratic: minutes for 100,000 frames).
"""

from __future__ import annotations

import math
import re
from typing import Iterable, Iterator, List, Optional, Tuple

from cioseq.sequence import Progression, Sequence

MAX_FRAMES = 1000000

_PART = re.compile(r"^(?P<first>-?\d+)(?:-(?P<last>-?\d+)(?:x(?P<step>\d+))?)?$")
_SPLIT = re.compile(r"[\s,]+")
_SCOUT_FORM = re.compile(r"^(?P<kind>auto|fml)\s*:\s*(?P<count>.*)$", re.IGNORECASE)

FRAME_SPEC_HELP = "use forms like 1001-1100, 1-100x2 or 1,5,10-20"


class FrameSpecError(ValueError):
    """A frame spec, scout spec or chunk size that cannot be used."""


def _parts(spec: str) -> List[str]:
    return [p for p in _SPLIT.split(spec.strip()) if p]


def count_frames(spec: str) -> int:
    """Count the frames a spec names without expanding it (upper bound when
    parts overlap). Raises FrameSpecError for a malformed spec."""
    parts = _parts(spec or "")
    if not parts:
        raise FrameSpecError("the frame spec is empty: {}".format(FRAME_SPEC_HELP))
    total = 0
    for part in parts:
        match = _PART.match(part)
        if not match:
            raise FrameSpecError(
                "frame spec {!r} is not understood (at {!r}): {}".format(
                    spec, part, FRAME_SPEC_HELP
                )
            )
        first = int(match.group("first"))
        last = int(match.group("last") if match.group("last") is not None else first)
        step = int(match.group("step") or 1)
        if step < 1:
            raise FrameSpecError(
                "frame spec {!r} has a step of 0 (at {!r}): a step must be 1 or more".format(spec, part)
            )
        total += (abs(last - first)) // step + 1
    return total


def parse_frames(spec: str) -> Sequence:
    """Turn a frame spec into a cioseq Sequence.

    Raises:
        FrameSpecError: malformed, empty, or more than MAX_FRAMES frames.
    """
    spec = str(spec if spec is not None else "")
    count = count_frames(spec)
    if count > MAX_FRAMES:
        raise FrameSpecError(
            "frame spec {!r} names {:,} frames; the most one job can hold is {:,}".format(
                spec, count, MAX_FRAMES
            )
        )
    try:
        return Sequence.create(",".join(_parts(spec)))
    except (ValueError, TypeError) as err:  # pragma: no cover - count_frames checks first
        raise FrameSpecError("{!r} is not a frame spec: {} ({})".format(spec, FRAME_SPEC_HELP, err))


def parse_chunk_size(value) -> int:
    """A chunk size as a positive int. Accepts ints, integral floats and
    digit strings (Katana number parameters are floats); refuses booleans,
    NaN, infinities and numbers too large to be a frame count."""
    if isinstance(value, bool):
        raise FrameSpecError("chunk size {!r} is not a number: use a whole number of 1 or more".format(value))
    text = str(value).strip()
    try:
        number = float(text)
    except (ValueError, OverflowError):
        raise FrameSpecError("chunk size {!r} is not a number: use a whole number of 1 or more".format(value))
    if not math.isfinite(number) or number > MAX_FRAMES:
        raise FrameSpecError(
            "chunk size {!r} is not a usable number: use a whole number from 1 to {:,}".format(value, MAX_FRAMES)
        )
    if number != int(number) or number < 1:
        raise FrameSpecError("chunk size {!r} is not a whole number of 1 or more".format(value))
    return int(number)


def scout_frames(spec: str, frames: Sequence) -> Optional[Sequence]:
    """The scout frames of a job, or None for no scout frames.

    Forms: ``auto:N`` (N frames spread evenly), ``fml:N`` (first, last, and
    the rest spread between), an explicit spec (intersected with the job's
    frames), or empty.
    """
    spec = (spec or "").strip()
    if not spec:
        return None
    form = _SCOUT_FORM.match(spec)
    if form:
        kind = form.group("kind").lower()
        count_text = form.group("count").strip()
        if not count_text.isdigit() or int(count_text) < 1:
            raise FrameSpecError(
                "scout spec {!r} needs a whole number of frames after '{}:', e.g. {}:3".format(
                    spec, kind, kind
                )
            )
        count = int(count_text)
        if kind == "auto":
            return frames.subsample(count)
        result = frames.calc_fml(count)
        # cioseq returns the raw frame list when count covers every frame.
        return result if isinstance(result, Sequence) else Sequence.create(list(result))
    try:
        explicit = parse_frames(spec)
    except FrameSpecError as err:
        raise FrameSpecError(
            "scout spec {!r} is not auto:N, fml:N or a frame spec ({})".format(spec, err)
        )
    return frames.intersection(list(explicit))


def _values(frames: Sequence):
    """The frames as a ``range`` (a cioseq Progression) or a sorted list."""
    if isinstance(frames, Progression):
        start, end, step = frames.range
        return range(start, end + 1, step)
    return list(frames)


def _step_of(values) -> Optional[int]:
    """The step when sorted, distinct values form one arithmetic
    progression (cioseq's rule), else None."""
    if isinstance(values, range):
        return values.step if len(values) > 1 else 1
    count = len(values)
    if count == 1:
        return 1
    if count == 2:
        return values[1] - values[0]
    step = values[2] - values[1]
    if values == list(range(values[0], values[-1] + 1, step)):
        return step
    return None


def spec_text(values) -> str:
    """The text of sorted, distinct frames exactly as cioseq's
    ``str(Sequence.create(values))`` writes it (``1-9x2``, ``1-3,5,8``)."""
    step = _step_of(values)
    if step is None:
        return str(Sequence.create(list(values)))
    first, last = values[0], values[-1]
    if first == last:
        return str(first)
    if step == 1:
        return "%s-%s" % (first, last)
    return "%s-%sx%s" % (first, last, step)


def _runs_text(values) -> str:
    """:func:`katana_frames` of values already sorted and distinct."""
    step = _step_of(values)
    if step == 1:
        return str(values[0]) if len(values) == 1 else "%s-%s" % (values[0], values[-1])
    if step is not None:
        return ",".join([str(v) for v in values])
    return katana_frames(values)


def chunk_texts(frames: Sequence, chunk_size: int) -> Iterator[Tuple[int, int, str, str]]:
    """``(start, end, spec, katana)`` for each chunk of at most chunk_size
    frames, in order, in time linear in the number of frames.

    ``spec`` is the chunk as cioseq writes it (``1-9x2``), ``katana`` the
    chunk for Katana's ``-t`` flag (``1,3,5,7,9``).
    """
    values = _values(frames)
    size = max(1, int(chunk_size))
    if size == 1:  # the common case: one frame per task
        for frame in values:
            text = str(frame)
            yield frame, frame, text, text
        return
    for offset in range(0, len(values), size):
        part = values[offset:offset + size]
        yield part[0], part[-1], spec_text(part), _runs_text(part)


def chunks(frames: Sequence, chunk_size: int) -> List[Sequence]:
    """Split frames into chunks of at most chunk_size frames, in order
    (linear time; the same chunks as cioseq's linear strategy)."""
    values = _values(frames)
    size = max(1, int(chunk_size))
    return [Sequence.create(list(values[i:i + size])) for i in range(0, len(values), size)]


def task_count(frames: Sequence, chunk_size: int) -> int:
    """How many tasks the frames make at this chunk size (no expansion)."""
    size = max(1, int(chunk_size))
    return -(-len(frames) // size)


def katana_frames(frames: Iterable[int]) -> str:
    """Write frames for Katana's ``-t`` flag: runs as ``a-b``, no steps.

    >>> katana_frames([1, 3, 5, 6, 7, 10])
    '1,3,5-7,10'
    """
    values = sorted(set(int(f) for f in frames))
    runs = []
    start = prev = None
    for frame in values:
        if start is None:
            start = prev = frame
        elif frame == prev + 1:
            prev = frame
        else:
            runs.append((start, prev))
            start = prev = frame
    if start is not None:
        runs.append((start, prev))
    return ",".join(str(a) if a == b else "{}-{}".format(a, b) for a, b in runs)
