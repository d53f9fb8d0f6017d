#!/usr/bin/env python
"""Benchmark: replaying big mock files at interval 0 (speed and memory).

Writes synthetic mock files of growing size (each progress event carrying a
file map, as ciocore's do) and replays each in a fresh interpreter through
the real Runner + MockReplay, printing events per second and how much the
process's peak memory grew during the replay. Flat memory means the growth
stays the same whatever the file size.

Usage: python bench/bench_mock_replay.py [--short] [--files N]
"""

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CHILD = r"""
import resource, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
from ciokatana.core.mock import MockReplay
from ciokatana.core.runner import Runner
path, traced = sys.argv[2], sys.argv[3] == "1"
count = [0]
def on_event(event):
    count[0] += 1
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if traced:
    tracemalloc.start()
started = time.perf_counter()
Runner(MockReplay(path, 0.0), on_event).run()
elapsed = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1] if traced else 0
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(count[0], elapsed, after - before, peak)
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="smaller files (for CI)")
    parser.add_argument("--files", type=int, default=10, help="files per progress event (default 10)")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.join(ROOT, "tests", "helpers"))
    sys.path.insert(0, ROOT)
    from bigmock import write_big_mock

    sizes = [2000, 20000] if args.short else [2000, 20000, 200000]
    print("mock replay at interval 0, {} files per progress event".format(args.files))
    print("{:>9} {:>10} {:>9} {:>11} {:>16} {:>16}".format("events", "file MB", "seconds", "events/s", "RSS growth MB", "traced peak MB"))
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = os.path.join(tmp, "mock_{}.json".format(size))
            write_big_mock(path, size, files=args.files, jobs=4)
            traced = "1" if size <= 20000 else "0"
            proc = subprocess.run([sys.executable, "-c", CHILD, ROOT, path, traced], capture_output=True, text=True, check=True)
            seen, elapsed, growth_kb, peak = proc.stdout.split()
            seen, elapsed = int(seen), float(elapsed)
            print(
                "{:>9,} {:>10.1f} {:>9.2f} {:>11,.0f} {:>16.2f} {:>16}".format(
                    seen, os.path.getsize(path) / 1e6, elapsed, seen / elapsed, int(growth_kb) / 1024.0,
                    "{:.2f}".format(int(peak) / 1e6) if traced == "1" else "(not traced)",
                )
            )
            os.unlink(path)


if __name__ == "__main__":
    main()
