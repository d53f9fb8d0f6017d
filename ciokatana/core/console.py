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


def human_size(num: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(num) < 1024.0 or unit == "TB":
            return ("{:.0f} {}" if unit == "B" else "{:.1f} {}").format(num, unit)
        num /= 1024.0
    return "{:.1f} TB".format(num)  # pragma: no cover


def bar(percent: float, width: int = 20) -> str:
    percent = max(0.0, min(100.0, percent or 0.0))
    filled = int(round(width * percent / 100.0))
    return "[" + "#" * filled + "." * (width - filled) + "]"


@dataclass
class JobResult:
    """What happened to one job, for the summary."""

    index: int
    title: str
    status: str = "running"  # ok | failed | cancelled | running
    jobid: str = ""
    link: str = ""
    message: str = ""
    files: int = 0
    cached: int = 0
    uploaded_files: int = 0
    uploaded_bytes: int = 0

    def upload_text(self) -> str:
        if not self.files:
            return "no files to upload"
        if self.uploaded_files == 0:
            return "uploaded nothing: all {} file(s) already on Conductor (cached)".format(self.files)
        text = "uploaded {} file(s), {}".format(self.uploaded_files, human_size(self.uploaded_bytes))
        if self.cached:
            text += "; {} already on Conductor (cached)".format(self.cached)
        return text


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

    def _on_start(self, data) -> None:
        self.job_count = int(data.get("job_count") or 0)
        self._write("Submitting {} job(s) to Conductor{}".format(self.job_count, " at " + self.url if self.url else ""))

    def _on_job_start(self, data) -> None:
        index = int(data.get("job_index") or 0)
        self._current = JobResult(index=index, title=str(data.get("job_title", "")))
        self.results.append(self._current)
        self._write("[{}/{}] {}".format(index + 1, self.job_count or "?", self._current.title))

    def _on_progress(self, data) -> None:
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
        line = "      md5 {:3.0f}%  upload {} {:3.0f}%  {} of {}  {} file(s), {} cached".format(
            float(data.get("md5_percent") or 0),
            bar(float(data.get("percent_complete") or 0)),
            float(data.get("percent_complete") or 0),
            human_size(job.uploaded_bytes),
            human_size(to_upload),
            job.files,
            job.cached,
        )
        if self.quiet:
            return
        if self.tty:
            self._write(line, newline=False)
            self._line_open = True
        elif time.monotonic() - self._last_line_time > 5.0:
            self._write(line)
            self._last_line_time = time.monotonic()

    def _on_response(self, data) -> None:
        job = self._job_for(data)
        job.status = "ok"
        job.jobid = str(data.get("jobid", ""))
        job.link = dashboard_link(job.jobid, self.url)
        self._write("      submitted as job {} ({})".format(job.jobid, job.upload_text()))

    def _on_error(self, data) -> None:
        job = self._job_for(data)
        kind = str(data.get("exception_type", "Error"))
        if kind in ev.CANCEL_TYPES:
            job.status = "cancelled"
            job.message = "cancelled by the user; no further jobs were started"
        else:
            job.status = "failed"
            first = (str(data.get("exception", "")).strip().splitlines() or [""])[0]
            job.message = "{}: {}".format(kind, first[:300])
        self._write("      {}".format(job.message))

    def _job_for(self, data) -> JobResult:
        title = str(data.get("job_title", ""))
        if self._current is not None and (not title or self._current.title == title) and self._current.status == "running":
            return self._current
        result = JobResult(index=len(self.results), title=title or "(no job)")
        self.results.append(result)
        return result

    def _on_done(self, _data) -> None:
        if self._line_open:
            self._write("")

    # -- summary --------------------------------------------------------
    def summary(self) -> str:
        lines = ["Results:"]
        width = max([len(r.title) for r in self.results] + [10])
        for r in self.results:
            if r.status == "ok":
                lines.append("  OK        {}  job {}  {}  ({})".format(r.title.ljust(width), r.jobid, r.link, r.upload_text()))
            elif r.status == "cancelled":
                lines.append("  CANCELLED {}  {}".format(r.title.ljust(width), r.message))
            elif r.status == "failed":
                lines.append("  FAILED    {}  {}".format(r.title.ljust(width), r.message))
        if not self.results:
            lines.append("  no job ran")
        lines = [printable(line) for line in lines]
        ok = [r for r in self.results if r.status == "ok"]
        if ok and self.results and all(r.uploaded_files == 0 for r in ok) and any(r.files for r in ok):
            lines.append("Nothing was uploaded: every file was already on Conductor (cached).")
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


def run_jobs(runner, reporter: TerminalReporter, err) -> str:
    """Run a :class:`~ciokatana.core.runner.Runner` on its worker thread so
    Ctrl-C in the terminal cancels it cleanly; return the final state."""
    runner.start()
    try:
        while not runner.wait(0.2):
            pass
    except KeyboardInterrupt:
        err.write("\nCancelling: stopping the current job, starting no more...\n")
        runner.cancel()
        runner.wait(10)
    return runner.state
