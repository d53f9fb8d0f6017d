"""Turn asset paths and patterns into the files on disk.

Layer: core. This module touches the disk, so callers in the UI run it on a
worker thread. It understands the sequence notations found in Katana scenes:

- ``####`` (one digit per ``#``, more digits allowed as frames grow),
- ``%04d`` / ``%d`` (printf style),
- ``$F``, ``$F4``, ``$4F`` (frame with optional padding),
- ``<UDIM>`` / ``<udim>`` (four digits, 1001 ...), ``<UVTILE>`` (``u1_v1``),
  and Arnold's ``<tile>`` (``_u1_v1``),
- ``${VAR}`` environment variables (braced form only, so ``$F`` stays a frame).

Directories expand to every file below them. A path that names nothing on
disk is reported as missing, never silently dropped. Directory listings are
cached per call, so a scene with thousands of sequences in a few folders
costs one listing per folder.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

_TOKEN = re.compile(
    r"(?P<hash>#+)|(?P<printf>%0?(?P<pad>\d*)d)|(?P<dollar>\$(?P<pre>\d?)F(?P<post>\d?))"
    r"|(?P<udim><UDIM>|<udim>)|(?P<uvtile><UVTILE>|<uvtile>)|(?P<tile><tile>)",
)
_ENV = re.compile(r"\$\{(\w+)\}")


def expand_env(path: str) -> str:
    """Replace ``${VAR}`` with the variable's value (unknown ones stay)."""
    return _ENV.sub(lambda m: os.environ.get(m.group(1), m.group(0)), path)


def is_pattern(path: str) -> bool:
    """Whether a path holds a sequence token."""
    return bool(_TOKEN.search(path))


def _token_regex(match) -> str:
    if match.group("hash"):
        return r"-?\d{%d,}" % len(match.group("hash"))
    if match.group("printf") is not None and match.group("printf"):
        pad = match.group("pad")
        return r"-?\d{%s,}" % (int(pad) if pad else 1)
    if match.group("dollar"):
        pad = match.group("pre") or match.group("post")
        return r"-?\d{%s,}" % (int(pad) if pad else 1)
    if match.group("udim"):
        return r"\d{4}"
    if match.group("tile"):
        return r"_u\d+_v\d+"
    return r"u\d+_v\d+"


def pattern_regex(pattern: str):
    """A compiled regex that matches the file names a pattern stands for."""
    out = []
    pos = 0
    for match in _TOKEN.finditer(pattern):
        out.append(re.escape(pattern[pos : match.start()]))
        out.append(_token_regex(match))
        pos = match.end()
    out.append(re.escape(pattern[pos:]))
    return re.compile("^" + "".join(out) + "$")


def _glob_form(pattern: str) -> str:
    out = []
    pos = 0
    for match in _TOKEN.finditer(pattern):
        out.append(glob.escape(pattern[pos : match.start()]))
        out.append("*")
        pos = match.end()
    out.append(glob.escape(pattern[pos:]))
    return "".join(out)


@dataclass
class AssetEntry:
    """One requested path and what it stands for on disk."""

    source: str
    files: List[str] = field(default_factory=list)
    size: int = 0
    location: str = ""
    # Entries of a folder that are not regular files (FIFOs, sockets,
    # devices, broken links): never uploaded, reported by validation.
    skipped: List[str] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return not self.files


@dataclass
class ResolvedAssets:
    """The result of resolving a list of paths.

    ``files`` is sorted and free of duplicates; ``missing`` keeps the
    requested text of every path that names nothing on disk.
    """

    entries: List[AssetEntry] = field(default_factory=list)

    @property
    def files(self) -> List[str]:
        seen = set()
        for entry in self.entries:
            seen.update(entry.files)
        return sorted(seen)

    @property
    def missing(self) -> List[str]:
        return [e.location or e.source for e in self.entries if e.missing]

    @property
    def skipped(self) -> List[str]:
        """Folder entries left out because they are not regular files."""
        return sorted({path for entry in self.entries for path in entry.skipped})

    @property
    def total_size(self) -> int:
        sizes = {}
        for entry in self.entries:
            for path in entry.files:
                if path not in sizes:
                    sizes[path] = _size(path)
        return sum(sizes.values())


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class Resolver:
    """Resolves paths to files, caching directory listings for one pass."""

    def __init__(self, base_dir: str = ""):
        self.base_dir = base_dir
        self._listings: Dict[str, List[str]] = {}
        self._skipped: List[str] = []

    def _listdir(self, directory: str) -> List[str]:
        if directory not in self._listings:
            try:
                self._listings[directory] = [
                    e.name for e in os.scandir(directory) if e.is_file()
                ]
            except OSError:
                self._listings[directory] = []
        return self._listings[directory]

    def absolute(self, path: str) -> str:
        path = expand_env(path.strip())
        if self.base_dir and not _is_absolute(path):
            path = os.path.join(self.base_dir, path)
        return os.path.normpath(path) if not _is_windows(path) else path

    def expand(self, path: str) -> List[str]:
        """The files a path stands for (empty when it names nothing)."""
        full = self.absolute(path)
        if not full:
            return []
        if is_pattern(full):
            directory, base = os.path.split(full)
            if is_pattern(directory):
                regex = pattern_regex(full)
                return sorted(p for p in glob.glob(_glob_form(full)) if regex.match(p) and os.path.isfile(p))
            regex = pattern_regex(base)
            return sorted(
                os.path.join(directory, name) for name in self._listdir(directory) if regex.match(name)
            )
        if os.path.isfile(full):
            return [full]
        if os.path.isdir(full):
            return self._walk(full)
        return []

    def _walk(self, folder: str) -> List[str]:
        """The regular files under ``folder``; anything else is noted in ``self._skipped``.

        A FIFO, socket or device in a folder cannot be uploaded (reading a
        FIFO waits for a writer for ever; ciocore's path expansion fails on
        one with a RecursionError), and a broken link names nothing.
        """
        found = []
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = os.path.join(root, name)
                (found if os.path.isfile(path) else self._skipped).append(path)
        return sorted(found)

    def resolve(self, paths: Iterable[str]) -> ResolvedAssets:
        entries = []
        seen = set()
        for path in paths:
            if not path or not str(path).strip() or path in seen:
                continue
            seen.add(path)
            self._skipped = []
            files = self.expand(path)
            entries.append(
                AssetEntry(source=path, files=files, size=sum(_size(f) for f in files), location=self.absolute(path),
                           skipped=sorted(self._skipped))
            )
        return ResolvedAssets(entries)


def resolve(paths: Iterable[str], base_dir: str = "") -> ResolvedAssets:
    """Resolve paths to files on disk (see the module docstring)."""
    return Resolver(base_dir).resolve(paths)


_WIN_ABS = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\)")


def _is_windows(path: str) -> bool:
    return bool(_WIN_ABS.match(path))


def _is_absolute(path: str) -> bool:
    return path.startswith("/") or _is_windows(path)


def is_windows_path(path: str) -> bool:
    """An absolute Windows path (drive letter or UNC share)."""
    return _is_windows(path or "")


def is_absolute(path: str) -> bool:
    """Absolute on either POSIX or Windows."""
    return _is_absolute(path or "")


def under(path: str, folder: str) -> bool:
    """Whether path is folder itself or inside it (slash-insensitive)."""
    if not folder:
        return False
    p = path.replace("\\", "/").rstrip("/")
    f = folder.replace("\\", "/").rstrip("/")
    if not f:
        return p.startswith("/")
    return p == f or p.startswith(f + "/")


def common_dir(paths: List[str]) -> Optional[str]:
    """The deepest folder shared by all paths (slash style of the input)."""
    if not paths:
        return None
    split = [p.replace("\\", "/").split("/") for p in paths]
    common: List[str] = []
    for parts in zip(*split):
        if all(part == parts[0] for part in parts):
            common.append(parts[0])
        else:
            break
    if not common or common == [""]:
        return "/" if all(p.startswith("/") for p in paths) else None
    return "/".join(common)


def output_directory(location: str) -> str:
    """The folder an output path writes into."""
    location = location.replace("\\", "/")
    return location.rsplit("/", 1)[0] if "/" in location else location


def sizes_of(files: Iterable[str]) -> Tuple[int, int]:
    """(count, total bytes) of files."""
    count = total = 0
    for path in files:
        count += 1
        total += _size(path)
    return count, total
