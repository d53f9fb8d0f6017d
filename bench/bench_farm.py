#!/usr/bin/env python
"""Benchmark: how long the farm plug-in's calls hold their caller (Katana's UI thread).

Against the local Conductor sandbox, through ciocore's real code and the
core pieces the Katana farm plug-in delegates to
(:class:`ciokatana.core.remote_render.RemoteRenders`), it times:

- ``submit`` of a job whose files upload (ciocore's uploader polls every
  5 s) and of one with nothing to upload, with the default 2 s wait;
- ``state`` of a job, read from Conductor and then from the 2 s cache;
- ``jobs`` (the job list);
- ``state`` and ``jobs`` while the service hangs (time limit 1 s);
- the requests one render-log round makes for a job of N tasks.

Figures only; nothing is asserted. Usage: python bench/bench_farm.py [--short]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from ciokatana.core.jobs import JobService, JobServiceError  # noqa: E402
from ciokatana.core.remote_render import RemoteRenders  # noqa: E402
from ciokatana.core.render_log import wait_for  # noqa: E402
from ciokatana.core.runner import conductor_submit_factory  # noqa: E402
from ciokatana.sandbox import Sandbox, configure_ciocore  # noqa: E402


def payload(title, tasks, uploads):
    return {
        "job_title": title, "project": "Episode 104", "output_path": "/renders/bench",
        "instance_type": "n2-standard-8", "scout_frames": "", "environment": {}, "metadata": {},
        "software_package_ids": [],
        "tasks_data": [{"command": "renderboot -frame %d" % (i + 1), "frames": str(i + 1)} for i in range(tasks)],
        "upload_paths": uploads,
    }


def timed(fn, repeat=1):
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            result = fn()
        except JobServiceError as err:
            result = err
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="fewer tasks and repeats (CI)")
    args = parser.parse_args(argv)
    tasks = 20 if args.short else 200
    repeat = 5 if args.short else 20

    work = tempfile.mkdtemp(prefix="ciokatana-bench-farm-")
    files = []
    for index in range(3):
        path = os.path.join(work, "render_file_%d.bin" % index)
        with open(path, "wb") as handle:
            handle.write(os.urandom(64 * 1024))
        files.append(path)

    with Sandbox() as sandbox, configure_ciocore(sandbox.url, sandbox.api_key, os.path.join(work, "home")) as cfg:
        sandbox.run_jobs(wait=0.5, run=60, lines_per_second=2)
        renders = RemoteRenders(JobService(timeout=10), os.path.join(work, "logs"), submit_wait=2.0,
                                log_interval=3600, submit_factory=conductor_submit_factory(cfg.database_filepath))
        print("farm plug-in calls against the sandbox (median of %d where repeated)" % repeat)

        held, jobid = timed(lambda: renders.submit(lambda note: payload("uploads", tasks, files), "uploads"))
        print("  submit, 3 files to upload:     held %6.3f s  -> %s" % (held, jobid))
        wait_for(lambda: renders.find(jobid).jid is not None, 30)
        held, jobid2 = timed(lambda: renders.submit(lambda note: payload("no uploads", tasks, []), "no uploads"))
        print("  submit, nothing to upload:     held %6.3f s  -> %s" % (held, jobid2))

        renders.state_ttl = 0
        held, _ = timed(lambda: renders.state(jobid2), repeat)
        print("  state, read from Conductor:    held %6.3f s" % held)
        renders.state_ttl = 2.0
        renders.state(jobid2)
        held, _ = timed(lambda: renders.state(jobid2), repeat)
        print("  state, cached (2 s):           held %6.3f s" % held)
        held, listed = timed(renders.jobs, repeat)
        print("  jobs (list of %d):              held %6.3f s" % (len(listed), held))

        before = len(sandbox.requests)
        from ciokatana.core.render_log import LogFollower, RenderLog

        follower = LogFollower(RenderLog(os.path.join(work, "round.log")), renders.service,
                               lambda: (renders.find(jobid2).jid, tasks), interval=3600)
        time.sleep(0.6)
        started = time.perf_counter()
        follower.round()
        spent = time.perf_counter() - started
        print("  render-log round, %d tasks:    %d request(s), %.3f s (off the UI thread)"
              % (tasks, len(sandbox.requests) - before, spent))

        renders.service.timeout = 1.0
        renders.state_ttl = 0
        sandbox.faults.add("job_list", hang=True, times=None)
        held, err = timed(lambda: renders.state(jobid2))
        print("  state, service hung (limit 1 s): held %6.3f s  (%s)" % (held, type(err).__name__))
        held, err = timed(renders.jobs)
        print("  jobs, service hung (limit 1 s):  held %6.3f s  (%s)" % (held, type(err).__name__))
        held, err = timed(lambda: renders.state(jobid2))
        print("  state again while hung:          held %6.3f s  (stuck requests: %d)"
              % (held, renders.service.stuck_requests()))
        sandbox.faults.clear()
        sandbox.release()
        renders.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
