"""Submissions in a terminal: live progress, findings, per-job result lines.

Layer: core (no Qt, no Katana). Used by ``ciokatana submit``/``demo`` and by
the Katana batch function (``katana --script``), so both print the same.
:class:`TerminalReporter` is a runner event callback:
it redraws one progress line per job on a terminal (or prints a line every
few seconds when output is a file or a pipe), then one result line per job.
Sizes come from the per-file figures, never ciocore's x1024 totals.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import List, Optional

from ciokatana.core import events as ev
from ciokatana.core.validation import ERROR, NOTICE, WARNING, by_level
from ciokatana.core.conductor import dashboard_link
from ciokatana.core.printable import printable
from ciokatana.core.units import human_bytes as human_size


def bar(percent: float, width: int = 20) -> str:
    percent = max(0.0, min(100.0, percent or 0.0))
    filled = int(round(width * percent / 100.0))
    return "[" + "#" * filled + "." * (width - filled) + "]"


@dataclass
class JobResult:
    """What happened to one job, for the summary."""

    index: int
    title: str
    status: str = "running"  # ok | failed | cancelled | may_exist | running
    jobid: str = ""
    link: str = ""
    message: str = ""
    files: int = 0
    cached: int = 0
    uploaded_files: int = 0
    uploaded_bytes: int = 0
    shared: bool = False  # its files went up in the run's shared upload

    def upload_text(self) -> str:
        if self.shared:
            return "files uploaded once for every job; see Upload below"
        if not self.files:
            return "no files to upload"
        if self.uploaded_files == 0:
            return "uploaded nothing: all {} file(s) already on Conductor (cached)".format(self.files)
        text = "uploaded {} file(s), {}".format(self.uploaded_files, human_size(self.uploaded_bytes))
        if self.cached:
            text += "; {} already on Conductor (cached)".format(self.cached)
        return text


@dataclass
class SharedUpload:
    """The shared upload of a run (the default path), for the summary."""

    files: int = 0
    cached: int = 0
    to_upload: int = 0
    uploaded_files: int = 0
    uploaded_bytes: int = 0
    bytes_to_upload: int = 0
    hashed: int = 0
    from_cache: int = 0
    seen: bool = False
    reported: bool = False

    def update(self, data) -> None:
        files = data.get("file_progress") or {}
        self.seen = True
        self.files = max(len(files), int(data.get("files_to_analyze") or 0))
        self.cached = sum(1 for f in files.values() if f.get("already_uploaded"))
        fresh = [f for f in files.values() if int(f.get("bytes_to_upload") or 0) > 0]
        self.to_upload = len(fresh)
        self.bytes_to_upload = sum(int(f.get("bytes_to_upload") or 0) for f in fresh)
        self.uploaded_bytes = sum(int(f.get("bytes_uploaded") or 0) for f in fresh)
        self.uploaded_files = sum(
            1 for f in fresh if int(f.get("bytes_uploaded") or 0) >= int(f.get("bytes_to_upload") or 0))
        self.from_cache = sum(1 for f in files.values() if f.get("md5") and f.get("md5_was_cached"))
        self.hashed = sum(1 for f in files.values() if f.get("md5") and not f.get("md5_was_cached"))

    def text(self) -> str:
        if not self.files:
            return "no files to upload"
        if self.to_upload == 0 and self.cached >= self.files:
            text = "uploaded nothing: all {} file(s) already on Conductor (cached)".format(self.files)
        else:
            text = "uploaded {} of {} file(s), {}".format(self.uploaded_files, self.to_upload,
                                                         human_size(self.uploaded_bytes))
            if self.cached:
                text += "; {} already on Conductor (cached)".format(self.cached)
        return text + "; md5: {} hashed, {} from the cache".format(self.hashed, self.from_cache)


LABELS = {"ok": "OK", "cancelled": "CANCELLED", "failed": "FAILED", "may_exist": "MAY EXIST"}


class TerminalReporter:
    """Prints a run's progress and results.

    Args:
        stream: where to write (stdout by default).
        url: the Conductor URL for job links.
        tty: force live redrawing on or off (default: stream.isatty()).
        quiet: print only the results.
    """

    def __init__(self, stream=None, url: Optional[str] = None, tty: Optional[bool] = None, quiet: bool = False):
        self.stream = stream or sys.stdout
        self.url = url
        self.tty = self.stream.isatty() if tty is None else tty
        self.quiet = quiet
        self.job_count = 0
        self.results: List[JobResult] = []
        self.upload = SharedUpload()
        self._current: Optional[JobResult] = None
        self._last_line_time = 0.0
        self._line_open = False

    # -- event callback ---------------------------------------------------
    def __call__(self, event: ev.Event) -> None:
        handler = getattr(self, "_on_" + event.type, None)
        if handler is not None:
            handler(event.data)

    def _write(self, text: str, newline: bool = True) -> None:
        if self.quiet:
            return
        if self._line_open:
            self.stream.write("\r\033[K" if self.tty else "\n")
            self._line_open = False
        self.stream.write(printable(text) + ("\n" if newline else ""))
        self.stream.flush()

    def _live(self, line: str) -> None:
        """A progress line: redrawn on a terminal, every few seconds in a file."""
        if self.quiet:
            return
        if self.tty:
            self._write(line, newline=False)
            self._line_open = True
        elif time.monotonic() - self._last_line_time > 5.0:
            self._write(line)
            self._last_line_time = time.monotonic()

    def _on_start(self, data) -> None:
        self._last_line_time = time.monotonic()  # in a log, the first progress line comes after 5 s
        self.job_count = int(data.get("job_count") or 0)
        self._write("Submitting {} job(s) to Conductor{}".format(self.job_count, " at " + self.url if self.url else ""))
        if data.get("upload_files"):
            self._write("Upload for all {} job(s) at once: {} file(s), {}".format(
                self.job_count, data["upload_files"], human_size(float(data.get("upload_bytes") or 0))))

    def _end_upload(self) -> None:
        if self.upload.seen and not self.upload.reported:
            self.upload.reported = True
            self._write("      upload: {}".format(self.upload.text()))

    def _on_job_start(self, data) -> None:
        self._end_upload()
        index = int(data.get("job_index") or 0)
        shared = data.get("phase") == ev.CREATE_PHASE
        self._current = JobResult(index=index, title=str(data.get("job_title", "")), shared=shared)
        self.results.append(self._current)
        self._write("[{}/{}] {}{}".format(index + 1, self.job_count or "?", self._current.title,
                                          "  (creating the job)" if shared else ""))

    def _on_progress(self, data) -> None:
        if data.get("job_index") == ev.SHARED_UPLOAD_INDEX:
            self.upload.update(data)
            up = self.upload
            self._live("      md5 {:3.0f}%  upload {} {:3.0f}%  {} of {}  {} file(s), {} cached".format(
                float(data.get("md5_percent") or 0),
                bar(float(data.get("percent_complete") or 0)),
                float(data.get("percent_complete") or 0),
                human_size(up.uploaded_bytes),
                human_size(up.bytes_to_upload),
                up.files,
                up.cached,
            ))
            return
        job = self._current
        if job is None:
            return
        files = data.get("file_progress") or {}
        job.files = max(job.files, len(files), int(data.get("files_to_analyze") or 0))
        job.cached = sum(1 for f in files.values() if f.get("already_uploaded"))
        fresh = [f for f in files.values() if not f.get("already_uploaded")]
        job.uploaded_files = sum(1 for f in fresh if f.get("bytes_uploaded"))
        job.uploaded_bytes = sum(int(f.get("bytes_uploaded") or 0) for f in fresh)
        to_upload = sum(int(f.get("bytes_to_upload") or 0) for f in fresh)
        self._live("      md5 {:3.0f}%  upload {} {:3.0f}%  {} of {}  {} file(s), {} cached".format(
            float(data.get("md5_percent") or 0),
            bar(float(data.get("percent_complete") or 0)),
            float(data.get("percent_complete") or 0),
            human_size(job.uploaded_bytes),
            human_size(to_upload),
            job.files,
            job.cached,
        ))

    def _on_response(self, data) -> None:
        job = self._job_for(data)
        job.status = "ok"
        job.jobid = str(data.get("jobid", ""))
        job.link = dashboard_link(job.jobid, self.url)
        if job.shared:
            self._write("      submitted as job {}".format(job.jobid))
        else:
            self._write("      submitted as job {} ({})".format(job.jobid, job.upload_text()))

    def _on_error(self, data) -> None:
        self._end_upload()
        job = self._job_for(data)
        kind = str(data.get("exception_type", "Error"))
        cause = ev.cause_line(str(data.get("exception", "") or data.get("body", "")))
        if kind in ev.CANCEL_TYPES:
            job.status = "cancelled"
            job.message = ("cancelled during the upload; no job was created" if not job.title or job.index < 0
                           else "cancelled by the user; no further jobs were started")
        elif kind == ev.MAY_EXIST_TYPE or data.get("may_exist") is True:
            job.status = "may_exist"
            job.message = cause or "may have been created - check the dashboard"
        else:
            job.status = "failed"
            job.message = "{}: {}".format(kind, cause)
        self._write("      {}".format(job.message))

    def _job_for(self, data) -> JobResult:
        title = str(data.get("job_title", ""))
        if self._current is not None and (not title or self._current.title == title) and self._current.status == "running":
            return self._current
        result = JobResult(index=-1 if not title else len(self.results), title=title or "(upload)")
        self.results.append(result)
        return result

    def _on_done(self, _data) -> None:
        self._end_upload()
        if self._line_open:
            self._write("")

    # -- summary --------------------------------------------------------
    def summary(self) -> str:
        lines = ["Results:"]
        width = max([len(r.title) for r in self.results] + [10])
        for r in self.results:
            label = LABELS.get(r.status)
            if label is None:
                continue
            if r.status == "ok":
                tail = "" if r.shared else "  ({})".format(r.upload_text())
                line = "{}  job {}  {}{}".format(r.title.ljust(width), r.jobid, r.link, tail)
            else:
                line = "{}  {}".format(r.title.ljust(width), r.message)
            label = label.ljust(9)
            if self.tty and r.status == "may_exist":
                label = "\033[33m{}\033[0m".format(label)  # amber; the text itself is made printable
            lines.append("  {} {}".format(label, printable(line)))
        if not self.results:
            lines.append("  no job ran")
        started = len([r for r in self.results if r.index >= 0])
        if self.job_count and started < self.job_count:
            lines.append("  not started: {} of {} job(s)".format(self.job_count - started, self.job_count))
        if self.upload.seen:
            lines.append("Upload (once for every job): {}".format(self.upload.text()))
        ok = [r for r in self.results if r.status == "ok"]
        if self.upload.seen:
            nothing = self.upload.files and self.upload.to_upload == 0 and self.upload.cached >= self.upload.files
        else:
            nothing = ok and all(r.uploaded_files == 0 for r in ok) and any(r.files for r in ok)
        if nothing and ok:
            lines.append("Nothing was uploaded: every file was already on Conductor (cached).")
        if any(r.status == "may_exist" for r in self.results):
            lines.append("A job marked MAY EXIST may render and be billed: look for it on {} before submitting "
                         "it again.".format((self.url.rstrip("/") + "/jobs") if self.url else "the Conductor dashboard"))
        return "\n".join(lines)

    @property
    def all_ok(self) -> bool:
        return bool(self.results) and all(r.status == "ok" for r in self.results)


def print_findings(findings, out) -> None:
    for level, label in ((ERROR, "error"), (WARNING, "warning"), (NOTICE, "notice")):
        for finding in by_level(findings, level):
            out.write("{}: {}\n".format(label, printable(finding)))
            for detail in finding.details:
                out.write("    {}\n".format(printable(detail)))


def __getattr__(name):
    """``run_jobs``: the 0.2 name of :func:`ciokatana.core.submission.run_until_done`, for scripts written
    against it (submission imports this module, so it is looked up when asked for)."""
    if name == "run_jobs":
        from ciokatana.core.submission import run_until_done

        return run_until_done
    raise AttributeError("module {!r} has no attribute {!r}".format(__name__, name))
