"""What this machine knows Conductor holds, and how fast its last upload went.

Layer: core (no Qt, no Katana, no network). Conductor's API has one way to
ask "which of these files do you have": ``POST api/v2/files/get_upload_urls``
(the call ciocore's uploader and the shared upload path make). It is not a
read-only question: for every file the service lacks it issues a signed
upload URL, and for a file above the multipart threshold it opens a
multipart upload (an ``uploadID``) that stays open until it is completed or
expires. No other files endpoint exists in ciocore 7.0.2 - 9.2, and none is
documented. So the upload estimate (:mod:`ciokatana.core.estimate`) never
asks Conductor; it reads this record instead.

The record is kept by the shared upload path
(:class:`~ciokatana.core.shared_upload.SharedUploadSource`): after each run
it notes every file Conductor confirmed holding (it answered without an
upload URL for it) or that was uploaded completely, by md5 and size, and the
upload rate it measured. It is a small JSON file, written atomically (a temp
file renamed into place), next to ciokatana's other user state:
``$KATANA_USER_RESOURCE_DIRECTORY/ciokatana/upload_record.json`` (else
``~/.katana/ciokatana/``), or ``$CIOKATANA_UPLOAD_RECORD``. It holds per
Conductor URL (scheme, host and path only: no user name, password or
query) the md5s and sizes, and the rate; never a credential, path or token.

Limits (an estimate, never a promise): files uploaded from another machine,
or by ciocore's per-job uploader, are not in it (counted as to upload);
Conductor may have dropped a file since (counted as held). Two processes
writing at once merge what they can; a lost entry only makes the next
estimate larger.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from typing import Dict, Iterable, Optional, Tuple

from urllib.parse import urlsplit, urlunsplit

from ciokatana.core import atomic

logger = logging.getLogger(__name__)

ENV_VAR = "CIOKATANA_UPLOAD_RECORD"
FILENAME = "upload_record.json"
VERSION = 1
MAX_FILES = 200000  # per Conductor URL; the oldest confirmations go first
# An upload smaller than this measures the round trips, not the link (3 KB in
# 0.3 s reads as 10 KB/s): it replaces the stored rate only when that was
# measured on a still smaller upload, or when there is none.
MIN_RATE_BYTES = 8 << 20

_LOCK = threading.Lock()  # one writer at a time in this process


def default_path(environ=None) -> str:
    """Where the record lives (see the module docstring)."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_VAR):
        return environ[ENV_VAR]
    base = environ.get("KATANA_USER_RESOURCE_DIRECTORY") or os.path.join(os.path.expanduser("~"), ".katana")
    return os.path.join(base, "ciokatana", FILENAME)


def service_key(url: Optional[str]) -> str:
    """A Conductor URL reduced to scheme://host[:port]/path (no credentials, no query)."""
    text = (url or "").strip()
    if not text:
        return ""
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    host = parts.hostname or ""
    if parts.port:
        host = "{}:{}".format(host, parts.port)
    return urlunsplit((parts.scheme.lower(), host.lower(), parts.path.rstrip("/"), "", ""))


def conductor_url() -> str:
    """ciocore's configured Conductor URL (what its API client talks to), or ""."""
    try:
        from ciocore import config

        return str(config.get().get("url") or "")
    except Exception:  # no ciocore config: nothing is known
        return ""


class Rate(object):
    """An upload rate measured on a real upload."""

    __slots__ = ("bytes", "seconds", "at")

    def __init__(self, nbytes: int, seconds: float, at: float):
        self.bytes = int(nbytes)
        self.seconds = float(seconds)
        self.at = float(at)

    @property
    def bytes_per_second(self) -> float:
        return self.bytes / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict:
        return {"bytes": self.bytes, "seconds": round(self.seconds, 3), "at": round(self.at, 3)}

    @classmethod
    def from_dict(cls, data) -> Optional["Rate"]:
        try:
            rate = cls(int(data["bytes"]), float(data["seconds"]), float(data.get("at", 0.0)))
        except (KeyError, TypeError, ValueError):
            return None
        return rate if rate.bytes > 0 and rate.seconds > 0 else None


class UploadRecord(object):
    """The record of one Conductor URL, read from the file (a snapshot)."""

    def __init__(self, service: str, files: Dict[str, Tuple[int, float]], rate: Optional[Rate], path: str):
        self.service = service
        self.files = files  # md5 -> (size, when last confirmed)
        self.rate = rate
        self.path = path

    def holds(self, md5: Optional[str], size: int) -> bool:
        """Whether Conductor was seen holding this content (same md5 and size)."""
        entry = self.files.get(md5 or "")
        return entry is not None and int(entry[0]) == int(size)

    def __len__(self):
        return len(self.files)


def _read(path: str) -> dict:
    try:
        with open(path, "r", encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        return {}  # no upload yet
    except (OSError, IOError) as err:
        logger.warning("The upload record %s cannot be read (%s): the upload estimate counts every file as to "
                       "upload; make it readable, or set %s to a file of your own", path, err, ENV_VAR)
        return {}
    except ValueError:
        logger.warning("The upload record %s is not valid JSON; starting a new one", path)
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("services"), dict):
        return {}
    return data


def load(url: Optional[str] = None, path: Optional[str] = None) -> UploadRecord:
    """The record for a Conductor URL (ciocore's by default); empty when there is none."""
    path = path or default_path()
    service = service_key(url if url is not None else conductor_url())
    entry = _read(path).get("services", {}).get(service)
    if not isinstance(entry, dict):
        entry = {}
    files = {}
    raw = entry.get("files")
    if not isinstance(raw, dict):  # hand-edited or another version: what cannot be read is not known
        raw = {}
    for md5, value in raw.items():
        try:
            files[str(md5)] = (int(value[0]), float(value[1]))
        except (TypeError, ValueError, IndexError, KeyError):
            continue
    rate = entry.get("rate")
    rate = Rate.from_dict(rate) if isinstance(rate, dict) else None
    return UploadRecord(service, files, rate, path)


def note(held: Iterable[Tuple[str, int]], sent_bytes: int = 0, seconds: float = 0.0, url: Optional[str] = None,
         path: Optional[str] = None, now: Optional[float] = None) -> bool:
    """Add what Conductor confirmed holding (``(md5, size)`` pairs) and a measured rate.

    ``sent_bytes``/``seconds`` of a real upload replace the stored rate when
    both are positive and the upload is large enough to measure the link
    (:data:`MIN_RATE_BYTES`, or no smaller than the one the stored rate
    came from). Returns False (and logs) when the record cannot be
    written: nothing else depends on it.
    """
    held = [(str(m), int(s)) for m, s in held if m]
    measured = sent_bytes > 0 and seconds > 0
    if not held and not measured:
        return True
    path = path or default_path()
    service = service_key(url if url is not None else conductor_url())
    if not service:
        return False
    now = time.time() if now is None else now
    with _LOCK:
        try:
            data = _read(path) or {"version": VERSION, "services": {}}
            entry = data["services"].get(service)
            if not isinstance(entry, dict):
                entry = data["services"][service] = {}
            files = entry.get("files") if isinstance(entry.get("files"), dict) else {}
            for md5, size in held:
                files[md5] = [size, round(now, 1)]
            if len(files) > MAX_FILES:
                newest = sorted(files.items(), key=lambda item: _when(item[1]), reverse=True)[:MAX_FILES]
                files = dict(newest)
            entry["files"] = files
            if measured and _replaces(entry.get("rate"), sent_bytes):
                entry["rate"] = Rate(sent_bytes, seconds, now).to_dict()
            _write_atomic(path, data)
            return True
        except (OSError, IOError, ValueError, TypeError) as err:
            logger.warning("Could not update the upload record %s (%s): the next upload estimate counts these files "
                           "as to upload; make it writable, or set %s to a file of your own", path, err, ENV_VAR)
            return False


def _replaces(stored, sent_bytes: int) -> bool:
    """Whether an upload of ``sent_bytes`` measures the link better than the stored rate."""
    old = Rate.from_dict(stored) if isinstance(stored, dict) else None
    return old is None or sent_bytes >= MIN_RATE_BYTES or sent_bytes >= old.bytes


def _write_atomic(path: str, data: dict) -> None:
    """Compact JSON, written beside ``path`` and renamed over it (the folder is made if needed)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        os.makedirs(folder)
    atomic.write_json(path, data, compact=True)


def _when(value) -> float:
    try:
        return float(value[1])
    except (TypeError, ValueError, IndexError):
        return 0.0
