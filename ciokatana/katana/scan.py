"""Scan Assets: resolve the scene's file references, one path at a time.

Layer: katana (no Qt, no Katana import: the caller hands in the paths).
:class:`AssetScan` turns the patterns the scraper found into files through
the core's :class:`~ciokatana.core.assets.Resolver` (the same expansion
``plan_submission`` does), path by path, publishing its progress under a
lock. That makes it friendly to both callers: the shelf item runs it on a
worker thread and polls :meth:`AssetScan.progress` from Katana's UI thread,
and the batch or test code calls :meth:`AssetScan.run` inline. All disk access
(listing, sizes) happens in :meth:`run`; :meth:`report` only formats.
"""

import threading

from ciokatana.core.assets import ResolvedAssets, Resolver
from ciokatana.core.units import human_bytes

human_size = human_bytes  # the name scripts imported from here before 0.3

MAX_LISTED_FILES = 5


class AssetScan(object):
    """Resolve scene assets and extra assets with progress and cancel.

    Args:
        scene_paths: the Katana file and the scraped patterns (absolute).
        extra_paths: the submitter's extra assets (relative to ``base_dir``).
        base_dir: the scene's folder, for relative extra assets.
        origins: ``{path: ["node.param", ...]}`` to say where a path came from.
    """

    def __init__(self, scene_paths, extra_paths=(), base_dir="", origins=None):
        self.scene_paths = [p for p in scene_paths if p]
        self.extra_paths = [p for p in extra_paths if p]
        self.base_dir = base_dir
        self.origins = dict(origins or {})
        self.scene = ResolvedAssets()
        self.extra = ResolvedAssets()
        self.error = None
        self.size = 0
        self._lock = threading.Lock()
        self._done = 0
        self._current = ""
        self._finished = threading.Event()
        self._cancel = threading.Event()

    @property
    def total(self):
        return len(self.scene_paths) + len(self.extra_paths)

    def progress(self):
        """``(done, total, current path)``; thread-safe."""
        with self._lock:
            return self._done, self.total, self._current

    @property
    def finished(self):
        return self._finished.is_set()

    def cancel(self):
        self._cancel.set()

    def wait(self, timeout=None):
        return self._finished.wait(timeout)

    def run(self):
        """Resolve every path (blocking); safe to call on a worker thread."""
        try:
            resolver = Resolver()
            for paths, target, base in ((self.scene_paths, self.scene, ""), (self.extra_paths, self.extra, self.base_dir)):
                resolver.base_dir = base
                for path in paths:
                    if self._cancel.is_set():
                        return
                    with self._lock:
                        self._current = path
                    target.entries.extend(resolver.resolve([path]).entries)
                    with self._lock:
                        self._done += 1
            self.size = ResolvedAssets(self.scene.entries + self.extra.entries).total_size
        except Exception as err:  # reported by report(); the thread must end cleanly
            self.error = err
        finally:
            with self._lock:
                self._current = ""
            self._finished.set()

    def start(self):
        """Run on a daemon worker thread; returns the thread."""
        thread = threading.Thread(target=self.run, name="ciokatana-katana-scan", daemon=True)
        thread.start()
        return thread

    # -- results ---------------------------------------------------------------
    @property
    def files(self):
        return sorted(set(self.scene.files) | set(self.extra.files))

    @property
    def missing(self):
        return self.scene.missing + self.extra.missing

    def report(self):
        """The listing: every requested path with its files and size, then totals."""
        lines = []
        if self.error is not None:
            lines.append("Scan failed: {}: {}".format(type(self.error).__name__, self.error))
        for title, resolved in (("Scene files", self.scene), ("Extra assets", self.extra)):
            if not resolved.entries:
                continue
            lines.append("{}:".format(title))
            for entry in resolved.entries:
                where = ", ".join(self.origins.get(entry.source, []))
                suffix = "  ({})".format(where) if where else ""
                if entry.missing:
                    lines.append("  MISSING  {}{}".format(entry.location or entry.source, suffix))
                    continue
                lines.append("  {:>5} file(s) {:>9}  {}{}".format(
                    len(entry.files), human_bytes(entry.size), entry.location or entry.source, suffix))
                if len(entry.files) > 1 or entry.files[0] != (entry.location or entry.source):
                    for path in entry.files[:MAX_LISTED_FILES]:
                        lines.append("                           {}".format(path))
                    if len(entry.files) > MAX_LISTED_FILES:
                        lines.append("                           ... and {} more".format(len(entry.files) - MAX_LISTED_FILES))
        files = self.files
        lines.append("To upload: {} file(s), {}".format(len(files), human_bytes(self.size)))
        if self.missing:
            lines.append("Missing: {} path(s) name no file on disk (validation will warn)".format(len(self.missing)))
        if self._cancel.is_set() and self._done < self.total:
            lines.append("(cancelled before the end)")
        return "\n".join(lines)

