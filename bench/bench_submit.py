#!/usr/bin/env python
"""Benchmark: the whole ``ciokatana submit`` of a shot against the local sandbox.

Builds its own shot: a Katana file and 120 files (240 MB) shared by 4 (and
20) Render nodes, serves a Conductor sandbox from this process, and times
the whole command line (``ciokatana submit --scene ...`` in a fresh
interpreter, so imports and planning count) against a reference measured
in the same run: the md5 of every byte plus one raw HTTP PUT of every byte
over loopback to a server that only reads. Prints each figure as a ratio
to the reference, with the goals of issue 12:

- first submit of 4 jobs: <= 1.25 x reference + 2 s
- second submit: <= 3 s, 0 bytes uploaded, 0 files re-hashed
- 20 jobs sharing the files: no more than 1 s slower than 4 jobs
- ``ciokatana demo``: under 5 s

"after" is the default shared-upload path; "before" is ciocore's own
per-job ``Submit`` (``--uploader stock``), run with ``--before``.

Usage: python bench/bench_submit.py [--short] [--before] [--files N] [--mb-per-file M]
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

REFERENCE_CHILD = r"""
import hashlib, http.client, sys, time
port, paths = int(sys.argv[1]), sys.argv[2:]
started = time.perf_counter()
total = 0
for path in paths:
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            total += len(block)
md5_done = time.perf_counter()
def body():
    for path in paths:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                yield block
conn = http.client.HTTPConnection("127.0.0.1", port)
conn.request("PUT", "/all", body=body(), headers={"Content-Length": str(total)})
conn.getresponse().read()
ended = time.perf_counter()
print(md5_done - started, ended - md5_done, total)
"""


class _Discard(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_PUT(self):
        left = int(self.headers.get("Content-Length") or 0)
        while left:
            left -= len(self.rfile.read(min(left, 1 << 20)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args):
        pass


def reference(paths):
    """(md5 seconds, PUT seconds, bytes) of the work itself, in a fresh interpreter."""
    server = HTTPServer(("127.0.0.1", 0), _Discard)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        proc = subprocess.run([sys.executable, "-c", REFERENCE_CHILD, str(server.server_address[1])] + paths,
                              capture_output=True, text=True, check=True)
    finally:
        server.shutdown()
        server.server_close()
    md5_s, put_s, total = proc.stdout.split()
    return float(md5_s), float(put_s), int(total)


def build_shot(folder, files, size, nodes_counts):
    """Write the shared files, a Katana file and one scene JSON per node count."""
    from shots import make_files

    template = json.load(open(os.path.join(ROOT, "examples", "shot010.json"), encoding="utf-8"))
    names = {"assets/tex_{:04d}.tx".format(i): size for i in range(files)}
    paths = make_files(folder, names)
    with open(os.path.join(folder, "shot_bench.katana"), "w") as handle:
        handle.write("katana scene")
    scenes = {}
    for count in nodes_counts:
        scene = {
            "katana_file": "shot_bench.katana",
            "frame_range": {"start": 1, "end": 10},
            "unsaved_changes": False,
            "assets": ["assets"],
            "settings": dict(template["settings"], extra_assets=[], scout_spec=""),
            "render_nodes": [
                {"name": "node{:02d}".format(i), "renderer": "prman",
                 "outputs": [{"name": "primary", "enabled": True,
                              "outputLocation": "/renders/bench/node{:02d}/n.####.exr".format(i)}]}
                for i in range(count)
            ],
        }
        path = os.path.join(folder, "shot_{}.json".format(count))
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(scene, handle)
        scenes[count] = path
    return [os.path.join(folder, "shot_bench.katana")] + paths, scenes


class Service(object):
    """A sandbox served from this process, with its own ciocore home and md5 cache folder."""

    def __init__(self, work):
        from ciokatana.sandbox import Sandbox

        self.sandbox = Sandbox().start()
        self.home = tempfile.mkdtemp(prefix="home-", dir=work)
        self.tmp = tempfile.mkdtemp(prefix="tmp-", dir=work)  # ciocore's md5 cache lives in TMPDIR

    def env(self):
        env = self.sandbox.client_env(self.home)
        env["TMPDIR"] = self.tmp
        env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
        return env

    def stop(self):
        self.sandbox.stop()


def cli(env, *args):
    """Run the command line; (seconds, stdout)."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "ciokatana.standalone.cli"] + list(args),
                          capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit("ciokatana {} failed ({}):\n{}\n{}".format(args[0], proc.returncode, proc.stdout,
                                                                    proc.stderr))
    return seconds, proc.stdout


def submit(service, scene, uploader):
    log_before = len(service.sandbox.upload_log)
    jobs_before = len(service.sandbox.jobs)
    seconds, out = cli(service.env(), "submit", "--scene", scene, "--quiet", "--uploader", uploader)
    new = [e for e in service.sandbox.upload_log[log_before:] if e["stored"]]
    hashed = re.search(r"md5: (\d+) hashed, (\d+) from the cache", out)
    return {
        "seconds": seconds,
        "uploaded_bytes": sum(e["size"] for e in new),
        "uploaded_files": len(new),
        "hashed": int(hashed.group(1)) if hashed else None,
        "jobs": len(service.sandbox.jobs) - jobs_before,
    }


def demo(work, uploader):
    folder = tempfile.mkdtemp(prefix="demo-", dir=work)
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    first, _out = cli(env, "demo", "--dir", folder, "--quiet", "--uploader", uploader)
    second, _out = cli(env, "demo", "--dir", folder, "--quiet", "--uploader", uploader)
    return first, second


def row(label, seconds, ref, extra=""):
    print("  {:<44} {:>8.2f} s {:>8.2f}x ref  {}".format(label, seconds, seconds / ref, extra))


def run_path(uploader, work, paths, scenes, counts, ref, goals):
    print("\n{} path (--uploader {})".format("after: shared" if uploader == "shared" else "before: stock", uploader))
    figures = {}
    service = Service(work)
    try:
        first = submit(service, scenes[counts[0]], uploader)
        second = submit(service, scenes[counts[0]], uploader)
    finally:
        service.stop()
    row("first submit, {} jobs".format(counts[0]), first["seconds"], ref,
        "{} jobs, {:.0f} MB uploaded{}".format(first["jobs"], first["uploaded_bytes"] / 1e6,
                                               "  (goal <= {:.1f} s)".format(goals["first"]) if goals else ""))
    row("second submit, {} jobs".format(counts[0]), second["seconds"], ref,
        "{} bytes uploaded, {} file(s) re-hashed{}".format(
            second["uploaded_bytes"], "?" if second["hashed"] is None else second["hashed"],
            "  (goal <= 3 s, 0, 0)" if goals else ""))
    figures.update(first=first, second=second)
    if len(counts) > 1:
        service = Service(work)
        try:
            many = submit(service, scenes[counts[1]], uploader)
        finally:
            service.stop()
        row("first submit, {} jobs".format(counts[1]), many["seconds"], ref,
            "{:+.2f} s vs {} jobs{}".format(many["seconds"] - first["seconds"], counts[0],
                                           "  (goal <= +1 s)" if goals else ""))
        figures["many"] = many
    first_demo, second_demo = demo(work, uploader)
    row("ciokatana demo (first run)", first_demo, ref, "  (goal < 5 s)" if goals else "")
    row("ciokatana demo (second run)", second_demo, ref)
    figures.update(demo=first_demo, demo_again=second_demo)
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="small sizes, shared path only (for CI)")
    parser.add_argument("--before", action="store_true", help="also time ciocore's per-job path (minutes)")
    parser.add_argument("--files", type=int, default=None, help="shared files (default 120; 12 with --short)")
    parser.add_argument("--mb-per-file", type=float, default=None, help="MB per file (default 2; 0.5 with --short)")
    parser.add_argument("--many", type=int, default=20, help="jobs in the 'many jobs' run (default 20)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    sys.path.insert(0, os.path.join(ROOT, "tests", "helpers"))
    files = args.files or (12 if args.short else 120)
    size = int((args.mb_per_file or (0.5 if args.short else 2.0)) * 1e6)
    counts = (4, args.many)
    work = tempfile.mkdtemp(prefix="ciokatana-bench-submit-")
    try:
        paths, scenes = build_shot(os.path.join(work, "shot"), files, size, counts)
        md5_s, put_s, total = reference(paths)
        ref = md5_s + put_s
        print("submit benchmark: {} files, {:.0f} MB shared by {} and {} Render nodes; {} {}, {} CPU(s), Python {}".format(
            files, total / 1e6, counts[0], counts[1], platform.system(), platform.machine(), os.cpu_count(),
            platform.python_version()))
        print("  {:<44} {:>8.2f} s   (md5 {:.2f} s + one PUT over loopback {:.2f} s)".format(
            "reference: md5 + PUT of every byte", ref, md5_s, put_s))
        goals = {"first": 1.25 * ref + 2.0}
        results = {"reference": {"md5": md5_s, "put": put_s, "bytes": total},
                   "after": run_path("shared", work, paths, scenes, counts, ref, goals)}
        if args.before and not args.short:
            results["before"] = run_path("stock", work, paths, scenes, counts, ref, None)
        if args.json:
            with open(args.json, "w") as handle:
                json.dump(results, handle, indent=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
