#!/usr/bin/env python
"""Benchmark: the upload estimate (``ciokatana validate --estimate``, the Configure line), cold and warm.

Prints, measured in this run, for N files (2,000 of 256 KB; ``--short``:
300 of 64 KB) in a temporary folder:

1. cold: ciocore's md5 cache is empty, every file is hashed (and stored
   in the cache);
2. warm: the same files again: ciocore's cache vouches for every one,
   nothing is hashed (stat + one sqlite query + the upload record);
3. warm, with one file in ten rewritten since (those are hashed again);
4. reading and writing an upload record of ``MAX_FILES`` (200,000)
   entries, the most it keeps per Conductor (full mode only).

The estimate makes no network call; the figures are disk and CPU only.
The median of the repeats is shown (the machine may be shared).

Usage: python bench/bench_estimate.py [--short] [--files N] [--size BYTES]
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from ciokatana.core import estimate as est  # noqa: E402
from ciokatana.core import upload_record  # noqa: E402
from ciokatana.core.console import human_size  # noqa: E402

URL = "https://bench.example.com"


def make_files(folder, count, size):
    paths = []
    block = os.urandom(size)
    for i in range(count):
        sub = os.path.join(folder, "tex{:02d}".format(i // 100))
        if not os.path.isdir(sub):
            os.makedirs(sub)
        path = os.path.join(sub, "t{:05d}.tx".format(i))
        with open(path, "wb") as handle:
            handle.write(i.to_bytes(4, "little") + block[4:])
        paths.append(path)
    return paths


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="a quick run for CI")
    parser.add_argument("--files", type=int, default=None)
    parser.add_argument("--size", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args(argv)
    count = args.files or (300 if args.short else 2000)
    size = args.size or (64 * 1024 if args.short else 256 * 1024)
    repeat = args.repeat or (2 if args.short else 3)

    work = tempfile.mkdtemp(prefix="ciokatana-bench-estimate-")
    try:
        paths = make_files(os.path.join(work, "show"), count, size)
        payloads = [{"upload_paths": [os.path.join(work, "show")], "local_upload": True}]
        record = os.path.join(work, "upload_record.json")
        print("Upload estimate of {:,} files, {} ({} each), median of {}:".format(
            count, human_size(count * size), human_size(size), repeat))

        cold, warm, changed = [], [], []
        for run in range(repeat):
            database = os.path.join(work, "conductor_db_{}".format(run))
            seconds, result = timed(lambda db=database: est.estimate(payloads, database_filepath=db, url=URL,
                                                                     record_path=record))
            assert result.hashed_files == count, result
            cold.append(seconds)
            seconds, result = timed(lambda db=database: est.estimate(payloads, database_filepath=db, url=URL,
                                                                     record_path=record))
            assert result.hashed_files == 0 and result.cached_files == count, result
            warm.append(seconds)
            for path in paths[run::10]:
                with open(path, "r+b") as handle:
                    handle.write(("run%d" % run).encode())
                os.utime(path, (time.time() + 10 + run, time.time() + 10 + run))
            seconds, result = timed(lambda db=database: est.estimate(payloads, database_filepath=db, url=URL,
                                                                     record_path=record))
            changed.append(seconds)
        print("  cold (every file hashed)        {:8.3f} s  ({:,.0f} files/s, {}/s)".format(
            statistics.median(cold), count / statistics.median(cold),
            human_size(count * size / statistics.median(cold))))
        print("  warm (ciocore's cache vouches)  {:8.3f} s  ({:,.0f} files/s)  {:.0f}x faster".format(
            statistics.median(warm), count / statistics.median(warm), statistics.median(cold) / statistics.median(warm)))
        print("  warm, 1 file in 10 changed      {:8.3f} s".format(statistics.median(changed)))

        if not args.short:
            entries = [("{:022d}==".format(i), 1000 + i) for i in range(upload_record.MAX_FILES)]
            seconds, _ = timed(lambda: upload_record.note(entries, 10 ** 9, 100.0, url=URL, path=record))
            print("  record of {:,} entries: written in {:.3f} s ({} on disk)".format(
                len(entries), seconds, human_size(os.path.getsize(record))))
            seconds, loaded = timed(lambda: upload_record.load(URL, record))
            print("  record of {:,} entries: read in {:.3f} s".format(len(loaded), seconds))
            seconds, result = timed(lambda db=database: est.estimate(payloads, database_filepath=db, url=URL,
                                                                     record_path=record))
            print("  warm estimate with that record   {:8.3f} s".format(seconds))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
