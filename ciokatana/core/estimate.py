"""The upload estimate: what a submission will upload, before anything is sent.

Layer: core (no Qt, no Katana). :func:`estimate` takes the job payloads a
submission would send and answers, for the files they upload:

- how many files and bytes the submission holds (the union of every job's
  ``upload_paths``, expanded as the shared upload path and ciocore expand
  them: ``file_utils.process_upload_filepath``);
- how many of them Conductor already holds, by content (md5 and size);
- the bytes left to upload (a content held twice is sent once, as the
  shared upload path does);
- how long that takes at the upload rate last measured on this machine.

md5s come from ciocore's md5 cache (:func:`ciokatana.core.hashing.md5s`,
ciocore's own sqlite cache and staleness rule, the same call the shared
upload makes), so an unchanged file is never hashed again; files the cache
does not vouch for are hashed (cancellable, block by block) and stored
there, so the submission that follows does not hash them either. When the
payloads turn ``md5_caching`` off, the estimate neither trusts nor writes
the cache and hashes every file, as the submission then does.

"Already holds" is read from this machine's record
(:mod:`ciokatana.core.upload_record`), never asked of Conductor: the only
call that answers it, ``get_upload_urls``, issues upload URLs and opens
multipart uploads for every file the service lacks, so asking would leave
something behind. The estimate therefore makes no network call at all.

Blocking (stat, sqlite, hashing): the dialog runs it on a worker thread
(``ui/widgets/estimate.py``), ``ciokatana validate --estimate`` in the
terminal.
"""

from __future__ import annotations

import datetime
import logging
import os
import textwrap
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable, Iterable, List, Optional, Tuple

from ciokatana.core import hashing, upload_record
from ciokatana.core.units import human_bytes as human_size

logger = logging.getLogger(__name__)

NO_CHECK_NOTE = (
    "Conductor's API cannot say which files it holds without starting an upload (get_upload_urls "
    "issues upload URLs and opens multipart uploads), so 'already on Conductor' counts what this "
    "machine has uploaded or seen confirmed there before. Files uploaded from another machine count "
    "as to upload."
)


#: The estimate was cancelled (the plan changed, or the dialog closed).
Cancelled = hashing.Cancelled


class Progress(object):
    """How far an estimate is; written by its threads, read by anyone (plain ints)."""

    def __init__(self):
        self.files = 0  # files found so far
        self.to_hash = 0  # files the cache did not vouch for
        self.hashed = 0
        self.bytes_to_hash = 0
        self.bytes_hashed = 0
        self.step = "listing files"

    def text(self) -> str:
        if self.step == "hashing" and self.to_hash:
            return "hashing {:,} of {:,} files ({} of {})".format(
                min(self.hashed + 1, self.to_hash), self.to_hash, human_size(self.bytes_hashed),
                human_size(self.bytes_to_hash))
        if self.step == "listing files" and self.files:
            return "listing files ({:,})".format(self.files)
        return self.step


@dataclass
class Estimate:
    """What a submission will upload (see the module docstring).

    Attributes:
        files / bytes: distinct files of the submission and their bytes.
        held_files / held_bytes: those whose content Conductor holds (per
            this machine's record).
        upload_files: files whose content is not known to be there.
        upload_bytes: bytes left to upload (each content counted once).
        missing: upload paths that name nothing readable on disk.
        cached_files / hashed_files: md5s from ciocore's cache / hashed now.
        rate: the last measured upload rate, or None.
        service: the Conductor URL the record is for.
        daemon: every job leaves the upload to the upload daemon.
        elapsed: seconds the estimate took.
    """

    files: int = 0
    bytes: int = 0
    held_files: int = 0
    held_bytes: int = 0
    upload_files: int = 0
    upload_bytes: int = 0
    missing: List[str] = field(default_factory=list)
    cached_files: int = 0
    hashed_files: int = 0
    rate: Optional[upload_record.Rate] = None
    service: str = ""
    daemon: bool = False
    elapsed: float = 0.0

    @property
    def seconds(self) -> Optional[float]:
        """Upload time at the last measured rate (0 when nothing is left; None without a rate)."""
        if not self.upload_bytes:
            return 0.0
        if self.rate is None or self.rate.bytes_per_second <= 0:
            return None
        return self.upload_bytes / self.rate.bytes_per_second

    # -- words -----------------------------------------------------------------
    def time_text(self, why: str = "last measured upload") -> str:
        if not self.upload_bytes:
            return "nothing left to upload"
        if self.seconds is None:
            return "no upload measured on this machine yet, so no time estimate"
        duration = human_duration(self.seconds)
        return "{} at {}/s ({})".format(
            duration if self.seconds < 1 else "about " + duration, human_size(self.rate.bytes_per_second), why)

    def summary(self) -> str:
        """One line (the Configure tab)."""
        text = "{}; on Conductor: {:,} ({})".format(
            files_text(self.files, self.bytes), self.held_files, human_size(self.held_bytes))
        if self.upload_bytes:
            text += "; to upload: {}, {}".format(files_text(self.upload_files, self.upload_bytes), self.time_text())
        else:
            text += "; nothing left to upload"
        if self.missing:
            text += "; {:,} path(s) missing".format(len(self.missing))
        if self.daemon:
            text += "; the upload daemon sends them"
        return text

    def rows(self) -> List[Tuple[str, str]]:
        """``(label, value)`` pairs: the figures, one per row."""
        rate = self.rate
        why = "last measured upload"
        if rate is not None and rate.at:
            when = datetime.datetime.fromtimestamp(rate.at).strftime("%Y-%m-%d %H:%M")
            why = "the upload of {} measured {}".format(human_size(rate.bytes), when)
        rows = [
            ("In the submission", files_text(self.files, self.bytes)),
            ("Already on Conductor", files_text(self.held_files, self.held_bytes)),
            ("Left to upload", files_text(self.upload_files, self.upload_bytes)),
            ("Time", self.time_text(why)),
            ("md5s", "{:,} from ciocore's md5 cache, {:,} hashed now".format(self.cached_files, self.hashed_files)),
        ]
        if self.missing:
            rows.append(("Missing", "{:,} path(s) name nothing on disk (not counted): {}".format(
                len(self.missing), ", ".join(self.missing[:3]) + (" ..." if len(self.missing) > 3 else ""))))
        if self.daemon:
            rows.append(("Uploader", "the upload daemon uploads these files, not this submission"))
        return rows

    def lines(self) -> List[str]:
        """The plain-text block ``ciokatana validate --estimate`` prints."""
        rows = self.rows()
        width = max(len(label) for label, _ in rows) + 2
        out = ["Upload estimate"]
        out.extend("  {:<{w}}{}".format(label + ":", value, w=width) for label, value in rows)
        out.extend(textwrap.wrap(NO_CHECK_NOTE, 96, initial_indent="  Note: ", subsequent_indent="        "))
        return out

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "bytes": self.bytes,
            "held_files": self.held_files,
            "held_bytes": self.held_bytes,
            "upload_files": self.upload_files,
            "upload_bytes": self.upload_bytes,
            "seconds": self.seconds,
            "rate_bytes_per_second": self.rate.bytes_per_second if self.rate is not None else None,
            "rate_measured_at": self.rate.at if self.rate is not None else None,
            "missing": list(self.missing),
            "cached_files": self.cached_files,
            "hashed_files": self.hashed_files,
            "daemon": self.daemon,
            "held_from": "local record",
            "note": NO_CHECK_NOTE,
        }


def files_text(count: int, nbytes: int) -> str:
    """``1 file, 133 B`` / ``2,000 files, 1.2 GB``."""
    return "{:,} file{}, {}".format(count, "" if count == 1 else "s", human_size(nbytes))


def human_duration(seconds: float) -> str:
    """``75`` -> ``1 min 15 s``; ``7300`` -> ``2 h 2 min``; under a second -> ``under 1 s``."""
    seconds = max(0.0, float(seconds))
    if seconds < 1:
        return "under 1 s"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "{} h {} min".format(hours, minutes)
    if minutes:
        return "{} min {} s".format(minutes, secs) if secs else "{} min".format(minutes)
    return "{} s".format(secs)


def upload_files(payloads: Iterable[dict], cancelled: Callable[[], bool] = lambda: False,
                 progress: Optional[Progress] = None):
    """``(paths, missing, daemon)``: the distinct files the payloads upload, in job order.

    Expanded as the shared upload path expands them (:func:`hashing.expand`:
    ciocore's ``process_upload_filepath``, folders, sequences). Jobs with
    ``local_upload`` false are counted too (``daemon`` is then True when no
    job uploads itself).
    """
    payloads = list(payloads)
    listed = OrderedDict((path, None) for payload in payloads for path in payload.get("upload_paths") or [])

    def on_count(count):
        if progress is not None:
            progress.files = count

    paths, missing = hashing.expand(listed, cancelled, on_count)
    daemon = bool(payloads) and not any(p.get("local_upload", True) for p in payloads)
    return paths, [path for path, _ in missing], daemon


def estimate(payloads: Iterable[dict], database_filepath: str = "", url: Optional[str] = None,
             record_path: Optional[str] = None, cancelled: Optional[Callable[[], bool]] = None,
             progress: Optional[Progress] = None, hash_threads: Optional[int] = None) -> Estimate:
    """Estimate the upload of a submission (blocking; no network call).

    Args:
        payloads: the job payloads (ciocore ``Submit`` arguments). When a job
            that uploads itself says ``md5_caching: false``, ciocore's md5
            cache is neither trusted nor written, as the submission does.
        database_filepath: ciocore's md5 cache (its default when empty).
        url: the Conductor URL the record is kept for (ciocore's by default).
        record_path: the upload record (its default place when None).
        cancelled: polled between files and hash blocks; True raises :class:`Cancelled`.
        progress: a :class:`Progress` to update.
        hash_threads: files hashed at once.

    Raises:
        Cancelled: when ``cancelled()`` turned True.
    """
    started = time.monotonic()
    payloads = list(payloads)
    cancelled = cancelled or (lambda: False)
    progress = progress if progress is not None else Progress()
    paths, missing, daemon = upload_files(payloads, cancelled, progress)

    progress.step = "reading file sizes"
    infos = OrderedDict()
    for path in paths:
        if cancelled():
            raise Cancelled()
        try:
            infos[path] = hashing.file_info(path)
        except (OSError, IOError, AssertionError):
            missing.append(path)

    caching = hashing.md5_caching(payloads)
    progress.step = "reading ciocore's md5 cache" if caching else "hashing"

    def on_lookup(found):
        progress.to_hash = len(found.todo)
        progress.bytes_to_hash = sum(int(i["size"]) for i in found.todo)
        progress.step = "hashing"

    def on_bytes(_info, count):
        progress.bytes_hashed += count

    def on_file(info, md5, error):
        if md5 is not None:
            progress.hashed += 1
        else:
            logger.info("Cannot hash %s for the estimate: %s", info["filepath"], error)
            missing.append(info["filepath"])

    found = hashing.md5s(infos.values(), database_filepath, caching, cancelled,
                         threads=hash_threads or min(4, os.cpu_count() or 2), on_lookup=on_lookup,
                         on_bytes=on_bytes, on_file=on_file)
    if cancelled():
        raise Cancelled()

    progress.step = "reading the upload record"
    record = upload_record.load(url, record_path)
    result = Estimate(missing=missing, cached_files=len(found.cached), hashed_files=len(found.hashed),
                      rate=record.rate, service=record.service, daemon=daemon)
    sent = set()
    for path, info in infos.items():
        md5 = found.md5s.get(path)
        if md5 is None:
            continue  # unreadable while hashing: in missing
        size = int(info["size"])
        result.files += 1
        result.bytes += size
        if record.holds(md5, size):
            result.held_files += 1
            result.held_bytes += size
            continue
        result.upload_files += 1
        if md5 not in sent:
            sent.add(md5)
            result.upload_bytes += size
    result.elapsed = time.monotonic() - started
    progress.step = "done"
    return result
