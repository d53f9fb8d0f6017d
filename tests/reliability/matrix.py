#!/usr/bin/env python
"""The reliability fault matrix: faults at every endpoint, cancels at random moments, the ghost job.

Each case runs a real submission (ciocore's code, over 127.0.0.1) of a
two-job shot against a fresh sandbox with one fault rule, then checks the
run against what issue 11 demands:

- exactly one ``done``, last;
- every job that started ends in a response, an error, a cancel or "may
  have been created"; jobs after a cancel or a stall may not start, none
  other is left out;
- no run lasts longer than its timeout + 5 s (on ciocore's per-job path,
  plus the ~10 s a job its uploader always takes);
- every job the sandbox holds afterwards (hangs released) was reported:
  its id in a response, or "may have been created" for its title;
- nothing secret (the API key, a bearer token, an upload URL signature) in
  the terminal output, the events or the warnings logged (through the
  masking filter the command line installs: ciocore's own error logs quote
  presigned upload URLs).

``tests/reliability/test_fault_matrix.py`` runs the short matrix (the
shared path) under pytest; run this file for the full matrix of both paths
and the figures in ``docs/reliability.md``:

    python tests/reliability/matrix.py [--short] [--uploader shared|stock|both] [--cancels N]
"""

import argparse
import io
import json
import logging
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
for path in (ROOT, os.path.join(ROOT, "tests", "helpers")):
    if path not in sys.path:
        sys.path.insert(0, path)

from ciokatana.core import events as ev  # noqa: E402
from ciokatana.core import submission  # noqa: E402
from ciokatana.core.console import TerminalReporter  # noqa: E402
from ciokatana.core.redact import RedactingFilter  # noqa: E402
from ciokatana.core.runner import STOCK_MIN_TIMEOUT, Runner  # noqa: E402
from ciokatana.sandbox import Sandbox, configure_ciocore  # noqa: E402

from shots import make_files, payloads  # noqa: E402

ENDPOINTS = ("oauth", "upload_urls", "upload", "multipart_complete", "jobs")
KINDS = ("error", "drop", "slow", "hang", "lost")  # lost: served, but the answer never reaches the client
TIMES = ("once", "always")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
SIGNATURE = re.compile(r"Signature=(?!\.\.\.)[A-Za-z0-9_%-]{6,}", re.IGNORECASE)


class _Records(logging.Handler):
    """Warnings and errors logged during a run, masked as the command line masks them."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.addFilter(RedactingFilter())
        self.lines = []

    def emit(self, record):
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted is not output either
            pass


def fault_rule(kind, times, timeout):
    rule = {"times": 1 if times == "once" else None}
    if kind == "error":
        rule.update(status=500, message="Injected fault (ciokatana sandbox)")
    elif kind == "drop":
        rule.update(drop=True)
    elif kind == "slow":
        rule.update(delay=min(0.3, timeout / 4.0))
    elif kind == "hang":
        rule.update(hang=True)
    elif kind == "lost":
        rule.update(lose_answer=True)
    return rule


def run_case(uploader, endpoint=None, kind=None, times="once", timeout=1.5, cancel_after=None, slow_uploads=0.0,
             ghost=False):
    """Run one submission under one fault (or a cancel); return its record with any violations."""
    work = tempfile.mkdtemp(prefix="ciokatana-matrix-")
    sandbox = Sandbox(multipart_threshold=100 * 1024, part_size=64 * 1024).start()
    records = _Records()
    logging.getLogger().addHandler(records)
    try:
        files = make_files(os.path.join(work, "show"), {"scene.katana": 2000, "tex/a.tx": 30000,
                                                        "tex/b.tx": 40000, "cache/big.abc": 200000})
        jobs = payloads(2, files=files)
        with configure_ciocore(sandbox.url, sandbox.api_key, os.path.join(work, "home")) as cfg:
            if endpoint:
                sandbox.faults.add(endpoint, **fault_rule(kind, times, timeout))
            if slow_uploads:
                sandbox.faults.add("upload", delay=slow_uploads, times=None)
            spec = submission.SourceSpec(uploader=uploader, timeout=timeout, url=sandbox.url,
                                         database_filepath=cfg.database_filepath)
            source, _recorder = submission.open_source(jobs, spec)
            out = io.StringIO()
            reporter = TerminalReporter(out, url=sandbox.url, tty=False)
            seen = []
            done_at = []

            def listen(event):
                seen.append(event)
                reporter(event)
                if event.type == ev.DONE:
                    done_at.append(time.monotonic())
                if ghost and event.type == ev.JOB_START and event.job_title == "job2":
                    sandbox.faults.add("jobs", hang=True)
                    threading.Thread(target=_cancel_when_held, args=(sandbox, runner), daemon=True).start()

            runner = Runner(source, listen)
            started = time.monotonic()
            runner.start()
            if cancel_after is not None:
                timer = threading.Timer(cancel_after, runner.cancel)
                timer.daemon = True
                timer.start()
            limit = time_limit(uploader, timeout, len(jobs))
            finished = runner.wait(limit + 30)
            duration = (done_at[0] if done_at else time.monotonic()) - started
            out.write(reporter.summary() + "\n")
            sandbox.faults.clear()
            sandbox.release()
            _settle(sandbox)
            held = [(j["payload"]["job_title"], j["jobid"]) for j in sandbox.jobs]
            secrets = [sandbox.api_key["private_key"], sandbox.api_key["client_id"]]
            text = out.getvalue() + "\n".join(json.dumps(ev.for_file(e)) for e in seen) + "\n".join(records.lines)
    finally:
        logging.getLogger().removeHandler(records)
        sandbox.stop()
        shutil.rmtree(work, ignore_errors=True)
    record = {
        "uploader": uploader, "endpoint": endpoint, "kind": kind, "times": times, "timeout": timeout,
        "cancel_after": cancel_after, "ghost": ghost, "finished": finished, "duration": duration,
        "state": str(runner.state.value), "outcomes": _outcomes(seen), "held": held,
    }
    record["violations"] = _violations(record, seen, limit, text, secrets, jobs)
    return record


def _cancel_when_held(sandbox, runner):
    deadline = time.monotonic() + 10
    while sandbox.faults.hung_count == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    runner.cancel()


STOCK_JOB_FLOOR = 11.0  # ciocore's uploader sleeps 5 s twice per job, whatever happens


def _effective_timeout(uploader, timeout):
    return max(timeout, STOCK_MIN_TIMEOUT) if uploader == "stock" else timeout


def time_limit(uploader, timeout, jobs=2):
    """The longest a run may last: its timeout + 5 s (plus ciocore's fixed ~10 s a job on the stock path)."""
    limit = _effective_timeout(uploader, timeout) + 5.0
    return limit + STOCK_JOB_FLOOR * jobs if uploader == "stock" else limit


def _settle(sandbox, seconds=3.0):
    """Let requests a released hang freed reach the sandbox's job book."""
    deadline = time.monotonic() + seconds
    while sandbox.faults.held_count and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)


def _outcomes(seen):
    """{job title: outcome} (ok, failed, cancelled, may_exist) for the jobs' ending events."""
    out = {}
    for event in seen:
        if event.type == ev.RESPONSE:
            out.setdefault(event.job_title, []).append(("ok", event.data.get("jobid")))
        elif event.type == ev.ERROR:
            kind = "cancelled" if event.is_cancel else "may_exist" if event.may_exist else "failed"
            out.setdefault(event.job_title, []).append((kind, event.data.get("exception_type")))
    return out


def _violations(record, seen, limit, text, secrets, jobs):
    problems = []
    kinds = [e.type for e in seen]
    if kinds.count(ev.DONE) != 1 or not kinds or kinds[-1] != ev.DONE:
        problems.append("not exactly one done, last ({} done)".format(kinds.count(ev.DONE)))
    if not record["finished"]:
        problems.append("the run never finished")
    if record["duration"] > limit:
        problems.append("ran {:.1f} s, over its limit of {:.1f} s".format(record["duration"], limit))
    started = [e.job_title for e in seen if e.type == ev.JOB_START]
    outcomes = record["outcomes"]
    for title in started:
        if len(outcomes.get(title, [])) != 1:
            problems.append("{} ended {} times".format(title, len(outcomes.get(title, []))))
    cancelled = record["state"] == "cancelled"
    stalled = any(v[1] == ev.STALLED_TYPE or v[0] == "may_exist" for vs in outcomes.values() for v in vs)
    for payload in jobs:
        title = payload["job_title"]
        if title not in started and not (cancelled or stalled or "" in outcomes):
            problems.append("{} never started".format(title))
    answered = {jobid for vs in outcomes.values() for kind, jobid in vs if kind == "ok"}
    maybe = {title for title, vs in outcomes.items() if any(kind == "may_exist" for kind, _ in vs)}
    for title, jobid in record["held"]:
        if jobid not in answered and title not in maybe:
            problems.append("ghost job: Conductor holds {} ({}) but the run did not report it".format(jobid, title))
    for secret in secrets:
        if secret and secret in text:
            problems.append("a credential appears in the output")
    if JWT.search(text):
        problems.append("a bearer token appears in the output")
    if SIGNATURE.search(text):
        problems.append("an upload URL signature appears in the output")
    return problems


def matrix(uploaders, timeout):
    for uploader in uploaders:
        for endpoint in ENDPOINTS:
            for kind in KINDS:
                for times in TIMES:
                    yield dict(uploader=uploader, endpoint=endpoint, kind=kind, times=times, timeout=timeout)


SPAN = {"shared": 0.7, "stock": 21.0}  # how long a run with slowed uploads lasts on each path


def cancels(uploaders, count, seed=20240611, timeout=1.5):
    """Cancels at moments drawn (fixed seed) across a whole run of each path."""
    rng = random.Random(seed)
    for uploader in uploaders:
        for _ in range(count):
            yield dict(uploader=uploader, cancel_after=round(rng.uniform(0.0, SPAN[uploader]), 3),
                       slow_uploads=0.15, timeout=timeout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the shared path only, few cancels (what CI runs)")
    parser.add_argument("--uploader", choices=("shared", "stock", "both"), default="both")
    parser.add_argument("--timeout", type=float, default=2.0, help="the runs' inactivity timeout (default 2 s)")
    parser.add_argument("--cancels", type=int, default=20, help="random cancels per path (default 20)")
    parser.add_argument("--json", metavar="FILE", help="write every record as JSON")
    args = parser.parse_args(argv)
    uploaders = ["shared"] if args.short else (["shared", "stock"] if args.uploader == "both" else [args.uploader])
    cases = list(matrix(uploaders, args.timeout)) + list(cancels(uploaders, 4 if args.short else args.cancels))
    for uploader in uploaders:
        cases.append(dict(uploader=uploader, ghost=True, timeout=args.timeout))
    records = []
    print("{:<7} {:<19} {:<6} {:<6} {:>7}  {:<10} {}".format("path", "fault", "", "", "seconds", "state",
                                                            "jobs (outcome)"))
    for case in cases:
        record = run_case(**case)
        records.append(record)
        if record["ghost"]:
            fault = "ghost job"
        elif record["endpoint"]:
            fault = "{} {}".format(record["endpoint"], record["kind"])
        else:
            fault = "cancel at {:.2f} s".format(record["cancel_after"])
        jobs = ", ".join("{}={}".format(t, "/".join(k for k, _ in v)) for t, v in sorted(record["outcomes"].items()))
        print("{:<7} {:<19} {:<6} {:>7.2f}  {:<10} {}{}".format(
            record["uploader"], fault, record["times"] if record["endpoint"] else "", record["duration"],
            record["state"], jobs, "   VIOLATION: " + "; ".join(record["violations"]) if record["violations"] else ""))
        sys.stdout.flush()
    bad = [r for r in records if r["violations"]]
    for uploader in uploaders:
        mine = [r for r in records if r["uploader"] == uploader]
        print("{}: {} runs, {} with a violation, longest {:.1f} s, {} ghost job(s) unreported".format(
            uploader, len(mine), len([r for r in mine if r["violations"]]), max(r["duration"] for r in mine),
            sum(1 for r in mine for v in r["violations"] if v.startswith("ghost"))))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(records, handle, indent=1, default=str)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
