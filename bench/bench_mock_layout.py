#!/usr/bin/env python
"""Benchmark: memory while replaying a mock file written on one line.

A mock file may hold all its events on one line (``json.dump`` without
indent writes it so). The replay's layout check must not read such a line
whole: issue 11 measured 633 MB of RSS for a 300 MB one-line file. This
writes a one-line file of the given size without holding it in memory,
then checks and replays it at interval 0 in a fresh interpreter, and prints
how much the process's peak RSS grew, against the file size, and the CPU
seconds of the check and replay. The md5s are random base64 as ciocore
writes them (some hold "key", "Token" ...), so masking is measured on
realistic text.

Usage: python bench/bench_mock_layout.py [--short] [--mb N] [--code DIR]
(``--short``: a 30 MB file; default 300 MB. ``--code`` runs another
checkout's ciokatana, for before/after figures.)
"""

import argparse
import base64
import json
import os
import random
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = r"""
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from ciokatana.core.mock import MockReplay, check_mock_file
from ciokatana.core.runner import Runner
count = [0]
def on_event(event):
    count[0] += 1
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
check_mock_file(sys.argv[2])
runner = Runner(MockReplay(sys.argv[2], 0.0), on_event)
runner.run()
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
after = usage.ru_maxrss
print(count[0], runner.state, elapsed, after - before, after, usage.ru_utime + usage.ru_stime)
"""


def _progress(rng, files):
    """A progress event whose md5s are random, base64 as ciocore writes them
    (so some hold letters such as "key" or "Token", as real ones do)."""
    fp = {
        "/show/tex/file{:05d}.tx".format(i): {
            "bytes_to_upload": 100, "bytes_uploaded": 50, "already_uploaded": False,
            "md5": base64.b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode("ascii"), "md5_was_cached": False,
        }
        for i in range(files)
    }
    return json.dumps({"event": "progress", "data": {
        "files_to_analyze": files, "files_to_upload": files, "bytes_to_upload": 1.0, "bytes_uploaded": 1.0,
        "transfer_rate": 1.0, "percent_complete": 50.0, "elapsed_time": 1.0, "time_remaining": 1.0,
        "processed_md5s": files, "md5_percent": 100.0, "job_index": 0, "job_title": "job1", "file_progress": fp}})


def write_one_line(path, megabytes, files=200):
    """A valid one-job mock file of about `megabytes` MB, all on one line."""
    rng = random.Random(11)
    variants = [_progress(rng, files) for _ in range(32)]
    target = megabytes * 1000 * 1000
    events = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('[{"event": "start", "data": {"job_count": 1}}, ')
        handle.write('{"event": "job_start", "data": {"job_index": 0, "job_title": "job1"}}')
        written = 0
        while written < target:
            progress = variants[events % len(variants)]
            handle.write(", " + progress)
            written += len(progress) + 2
            events += 1
        handle.write(', {"event": "response", "data": {"body": "", "jobid": "00001", "status": "success", '
                     '"uri": "/jobs/00001", "response_code": 201, "job_title": "job1"}}, {"event": "done", "data": {}}]')
    return events + 4


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="a 30 MB file (for CI)")
    parser.add_argument("--mb", type=int, default=None, help="file size in MB (default 300; 30 with --short)")
    parser.add_argument("--code", default=ROOT, help="checkout whose ciokatana to run (default: this one)")
    args = parser.parse_args(argv)
    size_mb = args.mb or (30 if args.short else 300)
    code = os.path.abspath(args.code)
    print("one-line mock replay (ciokatana from {}; figures only)".format(code))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "one_line.json")
        started = time.perf_counter()
        expected = write_one_line(path, size_mb)
        size = os.path.getsize(path)
        print("  wrote {:.0f} MB on one line ({:,} events) in {:.1f} s".format(size / 1e6, expected, time.perf_counter() - started))
        proc = subprocess.run([sys.executable, "-c", CHILD, code, path], capture_output=True, text=True)
        if proc.returncode != 0:
            print("  replay failed: " + (proc.stderr.strip().splitlines() or ["?"])[-1])
            return 0
        count, state, elapsed, growth_kb, peak_kb, cpu = proc.stdout.split()
        growth = int(growth_kb) * 1024
        print("  check + replay: {} of {:,} events, {}, {:.1f} s wall, {:.1f} s CPU".format(
            count, expected, state, float(elapsed), float(cpu)))
        print("  peak RSS grew by {:.0f} MB ({:.2f}x the file; flat memory means a few MB whatever the size); "
              "peak RSS {:.0f} MB".format(growth / 1e6, growth / float(size), int(peak_kb) * 1024 / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
