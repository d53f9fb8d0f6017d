#!/usr/bin/env python
"""Benchmark: does the dialog stay responsive while a huge submission reports progress?

With the dialog open on its Progress tab, two runs are fed through the
controller (the same path a real submission takes: runner thread -> bridge
-> widgets), as fast as they can go:

  file    a synthetic mock FILE (20,000 files, 2,000 progress events)
          replayed by MockReplay at interval 0. Between a job's first and
          last progress event, events carry only the files that changed
          (first and last carry the full map), so the UI must merge partial
          file_progress maps.
  memory  an in-memory source emitting 2,000 progress events, each with the
          full 20,000-file map, as ciocore does.

For each it prints the longest and 99th-percentile UI event-loop stall
(measured by a 5 ms QTimer probe on the UI thread: the time between its
ticks), the total time, how many events the bridge coalesced, and peak
memory (tracemalloc peak, measured in a second pass because tracing slows
Python, and the process's max RSS). Each scenario runs in its own process
so RSS figures do not mix. For the file scenario it also measures how
long the mock parser alone (no Qt) keeps another thread from running:
while it holds the GIL the UI thread cannot run Python either, so that
figure is a floor for the dialog's stall. It prints figures; it asserts
nothing.

Usage: python bench/bench_ui_progress.py [--short] [--scenario file|memory]
"""

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ciokatana.core import events as ev  # noqa: E402
from ciokatana.core.runner import Source  # noqa: E402

FULL = {"files": 20000, "events": 2000}
SHORT = {"files": 2000, "events": 200}
PROBE_MS = 5


# -- synthetic data ------------------------------------------------------------------
class Upload(object):
    """A deterministic upload of N files: hashing first, then uploads; 20 % already cached."""

    def __init__(self, files, events, seed=7):
        rng = random.Random(seed)
        self.paths = ["/shows/demo/assets/tex/{:03d}/texture_{:05d}.1001.tx".format(i // 500, i) for i in range(files)]
        self.sizes = [rng.randint(20000, 4000000) for _ in range(files)]
        self.cached = [rng.random() < 0.2 for _ in range(files)]
        self.events = events
        self.total = sum(s for s, c in zip(self.sizes, self.cached) if not c)

    def info(self, index, step):
        """A file's state at a progress step (0 .. events-1)."""
        count = len(self.paths)
        half = self.events // 2
        hashed = index < count * min(1.0, (step + 1) / float(max(1, half)))
        if step < half or self.cached[index]:
            uploaded = 0
        else:
            done = (step - half + 1) / float(max(1, self.events - half)) * count
            uploaded = self.sizes[index] if index < int(done) else (
                self.sizes[index] // 2 if index == int(done) else 0)
        return {
            "bytes_to_upload": self.sizes[index],
            "bytes_uploaded": uploaded,
            "already_uploaded": self.cached[index] and hashed,
            "md5": "md5-{}".format(index) if hashed else None,
            "md5_was_cached": False,
        }

    def changed(self, step):
        """Indexes whose info differs between step-1 and step (cheap: a contiguous window)."""
        count = len(self.paths)
        half = self.events // 2
        if step < half:
            lo = int(count * step / float(max(1, half)))
            hi = int(count * (step + 1) / float(max(1, half)))
        else:
            lo = int((step - half) / float(max(1, self.events - half)) * count) - 1
            hi = int((step - half + 1) / float(max(1, self.events - half)) * count) + 1
        return range(max(0, lo), min(count, hi + 1))

    def totals(self, step, files):
        uploaded = sum(f["bytes_uploaded"] for f in files.values() if not f["already_uploaded"])
        hashed = sum(1 for f in files.values() if f["md5"])
        return uploaded, hashed

    def data(self, step, file_progress, uploaded, hashed):
        count = len(self.paths)
        return {
            "files_to_analyze": count,
            "files_to_upload": count - sum(self.cached),
            "bytes_to_upload": float(self.total) * ev.STATS_INFLATION,
            "bytes_uploaded": float(uploaded) * ev.STATS_INFLATION,
            "transfer_rate": 50e6 * ev.STATS_INFLATION,
            "percent_complete": 100.0 * uploaded / self.total if self.total else 100.0,
            "elapsed_time": step * 0.5,
            "time_remaining": max(0.0, (self.events - step) * 0.5),
            "processed_md5s": hashed,
            "md5_percent": 100.0 * hashed / count,
            "job_index": 0,
            "job_title": "bench job",
            "file_progress": file_progress,
        }


def write_mock(path, files, events):
    """The synthetic mock file: full maps first and last, changed files in between."""
    upload = Upload(files, events)
    state = {p: upload.info(i, 0) for i, p in enumerate(upload.paths)}
    with open(path, "w") as handle:
        def put(event, first=False):
            handle.write(("[\n" if first else ",\n") + json.dumps(event.to_data(), separators=(",", ":")))

        put(ev.start(1), first=True)
        put(ev.job_start(0, "bench job"))
        uploaded, hashed = 0, 0
        for step in range(events):
            if step == 0 or step == events - 1:
                for i, p in enumerate(upload.paths):
                    state[p] = upload.info(i, step)
                part = dict(state)
            else:
                part = {}
                for i in upload.changed(step):
                    info = upload.info(i, step)
                    if info != state[upload.paths[i]]:
                        state[upload.paths[i]] = info
                        part[upload.paths[i]] = info
            uploaded, hashed = upload.totals(step, state) if step in (0, events - 1) or step % 50 == 0 else (
                uploaded, hashed)
            put(ev.Event(ev.PROGRESS, upload.data(step, part, uploaded, hashed)))
        put(ev.response({"body": "job submitted.", "jobid": "99999", "status": "success", "uri": "/jobs/99999"},
                        201, "bench job"))
        put(ev.done())
        handle.write("\n]\n")
    return os.path.getsize(path)


class FullMapSource(Source):
    """Emits progress events each carrying the whole file map, like ciocore."""

    def __init__(self, files, events):
        self.upload = Upload(files, events)

    def run(self, emit, control):
        upload = self.upload
        emit(ev.start(1))
        emit(ev.job_start(0, "bench job"))
        state = {p: upload.info(i, 0) for i, p in enumerate(upload.paths)}
        uploaded = hashed = 0
        for step in range(upload.events):
            if control.cancelled:
                emit(ev.cancelled("bench job"))
                return
            for i in upload.changed(step):
                state[upload.paths[i]] = upload.info(i, step)
            if step % 50 == 0 or step == upload.events - 1:
                uploaded, hashed = upload.totals(step, state)
            emit(ev.Event(ev.PROGRESS, upload.data(step, dict(state), uploaded, hashed)))
        emit(ev.response({"body": "job submitted.", "jobid": "99998", "status": "success", "uri": "/jobs/99998"},
                         201, "bench job"))


# -- measuring -------------------------------------------------------------------------
def parser_alone(path):
    """How long MockReplay's parsing keeps a plain Python main thread waiting (no Qt at all).

    A 5 ms sleep loop runs on this thread while the replay runs on another;
    the longest wait shows how long the parser holds the GIL in one go.
    """
    import threading

    from ciokatana.core.mock import MockReplay
    from ciokatana.core.runner import Control

    done = threading.Event()

    def replay():
        try:
            MockReplay(path, interval=0).run(lambda event: None, Control())
        finally:
            done.set()

    thread = threading.Thread(target=replay, name="bench-parser")
    gaps = []
    last = time.perf_counter()
    thread.start()
    while not done.is_set():
        time.sleep(PROBE_MS / 1000.0)
        now = time.perf_counter()
        gaps.append((now - last) * 1000.0)
        last = now
    thread.join()
    return max(gaps) if gaps else 0.0


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))
    return ordered[index]


def run_scenario(name, counts, trace_memory):
    from ciokatana.core.filescene import FileScene
    from ciokatana.core.mock import MockReplay
    from ciokatana.qt import QtCore, QtWidgets
    from ciokatana.ui.compat import exec_, guard_binding_refcounts
    from ciokatana.ui.controller import Controller
    from ciokatana.ui.dialog import ConductorDialog

    guarded = guard_binding_refcounts()

    work = tempfile.mkdtemp(prefix="ciokatana-bench-")
    try:
        for item in ("shot010.json", "shot010_lighting_v003.katana"):
            shutil.copy(os.path.join(ROOT, "examples", item), work)
        extra = {}
        if name == "file":
            mock = os.path.join(work, "bench_mock.json")
            extra["mock_bytes"] = write_mock(mock, counts["files"], counts["events"])
            if not trace_memory:
                extra["parser_alone_max_ms"] = parser_alone(mock)
            source = MockReplay(mock, interval=0)
        else:
            source = FullMapSource(counts["files"], counts["events"])

        app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([sys.argv[0]])
        controller = Controller(FileScene(os.path.join(work, "shot010.json")))
        dialog = ConductorDialog(controller)
        controller.setParent(dialog)
        dialog.resize(1000, 800)
        dialog.show()
        dialog.show_tab("progress")
        controller = dialog.controller
        deadline = time.time() + 30
        while (controller.plan_result is None or controller.is_planning) and time.time() < deadline:
            app.processEvents(QtCore.QEventLoop.AllEvents, 20)  # let the dialog settle first
            time.sleep(0.005)
        app.processEvents()

        ticks = []
        probe = QtCore.QTimer()
        probe.setTimerType(QtCore.Qt.PreciseTimer)
        probe.setInterval(PROBE_MS)
        probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
        # A local loop, not app.quit(): Qt 6's quit() closes every window first (the dialog too).
        loop = QtCore.QEventLoop()
        controller.run_finished.connect(lambda _record: loop.quit())
        if trace_memory:
            tracemalloc.start()
        started = time.perf_counter()
        probe.start()
        controller.start_source(source)
        QtCore.QTimer.singleShot(300 * 1000, loop.quit)  # a run that never ends fails the scenario, not CI's clock
        exec_(loop)
        if controller.is_running:
            raise SystemExit("the {} scenario's run did not end within 300 s".format(name))
        total = time.perf_counter() - started
        probe.stop()
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else None
        if trace_memory:
            tracemalloc.stop()
        progress = dialog.tab("progress")
        rows = progress.file_model.rowCount()
        bridge = controller.bridge
        gaps = [(b - a) * 1000.0 for a, b in zip(ticks, ticks[1:])]
        result = {
            "scenario": name,
            "files": counts["files"],
            "events": counts["events"],
            "rows": rows,
            "upload_bar": progress.upload_bar.value() / float(progress.upload_bar.maximum()),
            "total_s": total,
            "stall_max_ms": max(gaps) if gaps else 0.0,
            "stall_p99_ms": percentile(gaps, 0.99),
            "stall_p50_ms": percentile(gaps, 0.50),
            "probe_ticks": len(ticks),
            "posted": bridge.posted,
            "delivered": bridge.delivered,
            "model_updates": progress.file_model.syncs,
            "tracemalloc_peak_mb": peak / 1e6 if peak is not None else None,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            "state": controller.last_runner.state if controller.last_runner else None,
            "refcount_guard": guarded,
        }
        result.update(extra)
        dialog.close()
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def child(args):
    counts = SHORT if args.short else FULL
    result = run_scenario(args.scenario, counts, trace_memory=args.trace_memory)
    sys.stdout.write("RESULT " + json.dumps(result) + "\n")


def report(timing, memory):
    print("\n== scenario: {} ({:,} files, {:,} progress events) ==".format(
        timing["scenario"], timing["files"], timing["events"]))
    if "mock_bytes" in timing:
        print("  mock file size        {:8.1f} MB".format(timing["mock_bytes"] / 1e6))
    print("  total time            {:8.2f} s".format(timing["total_s"]))
    if timing["probe_ticks"] < 3:
        print("  UI stall              n/a: the run ended before the {} ms probe ticked twice".format(PROBE_MS))
    else:
        print("  UI stall, longest     {:8.1f} ms   (probe interval {} ms, {} ticks)".format(
            timing["stall_max_ms"], PROBE_MS, timing["probe_ticks"]))
        print("  UI stall, 99th pct    {:8.1f} ms".format(timing["stall_p99_ms"]))
        print("  UI stall, median      {:8.1f} ms".format(timing["stall_p50_ms"]))
    if "parser_alone_max_ms" in timing:
        print("  (the mock parser alone, no Qt, keeps the main thread waiting up to {:.0f} ms:".format(
            timing["parser_alone_max_ms"]))
        print("   decoding one event holds the GIL; a 20,000-file event is megabytes; stalls above that are the UI's)")
    print("  events posted / delivered to widgets   {:,} / {:,}".format(timing["posted"], timing["delivered"]))
    print("  file rows shown       {:8,}   upload bar {:.0%}   run {}".format(
        timing["rows"], timing["upload_bar"], timing["state"]))
    print("  max RSS               {:8.1f} MB".format(timing["max_rss_mb"]))
    if timing.get("refcount_guard"):
        print("  (PySide6 6.12 on Python 3.11 leaks references to None: the ciokatana.ui.compat guard was on)")
    if memory is not None:
        print("  tracemalloc peak      {:8.1f} MB   (second pass with tracing; it took {:.2f} s)".format(
            memory["tracemalloc_peak_mb"], memory["total_s"]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="small counts, for CI")
    parser.add_argument("--scenario", choices=("file", "memory"), help=argparse.SUPPRESS)
    parser.add_argument("--trace-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scenario:
        child(args)
        return 0
    from ciokatana.qt import API_NAME

    print("ciokatana UI progress benchmark on {} (python {}), {}".format(
        API_NAME, sys.version.split()[0], "short" if args.short else "full"))
    for scenario in ("file", "memory"):
        results = []
        for trace in (False, True):
            command = [sys.executable, os.path.abspath(__file__), "--scenario", scenario]
            if args.short:
                command.append("--short")
            if trace:
                command.append("--trace-memory")
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
            if done.returncode != 0:
                sys.stderr.write(done.stderr)
                raise SystemExit("scenario {} failed (exit {})".format(scenario, done.returncode))
            output = done.stdout
            line = [x for x in output.splitlines() if x.startswith("RESULT ")][-1]
            results.append(json.loads(line[len("RESULT "):]))
        report(results[0], results[1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
