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

Then, through the plug-in itself as Katana's ``FarmPluginManager`` calls it
(the Katana stand-in of ``tests/katana_standin``, a saved scene with one
Render node, default settings: 2 s submit wait, farm timeout
``$CIOKATANA_FARM_TIMEOUT`` or 10 s, the node's submission timeout), how
long each call holds Katana's UI thread when Conductor hangs: at login, at
the upload URLs, at job creation (and how long until the job is known to
be "may have been created"), and the job list.

Figures only; nothing is asserted. Usage: python bench/bench_farm.py [--short]
"""

import argparse
import contextlib
import io
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
        plugin_calls(sandbox, cfg, work)
    return 0


def plugin_calls(sandbox, cfg, work):
    """How long the plug-in's calls hold Katana when Conductor hangs (see the module docstring)."""
    for folder in ("katana_standin", "katana", "helpers"):
        path = os.path.join(ROOT, "tests", folder)
        if path not in sys.path:
            sys.path.insert(0, path)
    import pathlib

    import katana_standin_control as ksc
    from ciokatana import post_install
    from test_farm_plugin import LOCAL_KATANA_ROOT, State, disk_render, fpm, shot

    os.environ["CIOKATANA_FARM_DIR"] = os.path.join(work, "farm")
    os.environ["KATANA_ROOT"] = LOCAL_KATANA_ROOT
    print("farm plug-in calls through Katana's FarmPluginManager (stand-in), Conductor hanging")

    def fresh(timeout=20.0):
        ksc.reset()
        sys.modules.pop("ConductorFarmPlugin", None)
        folder = pathlib.Path(tempfile.mkdtemp(prefix="scene-", dir=work))
        resources = str(folder / "resources")
        post_install.install(resources)
        with contextlib.redirect_stderr(io.StringIO()):  # no Qt binding here: the dialog's notice
            ksc.load_superTools(resources)  # the ConductorRender node type, as Katana loads it
            ksc.fire_startup()
        ksc.load_plugins(post_install.resources_dir())
        from _katana_standin import farmplugins

        farm = farmplugins.instance("Conductor")
        farm.submit_factory = conductor_submit_factory(cfg.database_filepath)
        farm.log_interval = 3600
        shot(folder, ksc, timeout=timeout)
        return farm

    def submit(label, endpoint, timeout=20.0):
        farm = fresh(timeout)
        sandbox.faults.clear()
        if endpoint:
            sandbox.faults.add(endpoint, hang=True, times=None)
        started = time.perf_counter()
        try:
            jobid = disk_render("beauty")[0]
        except Exception as err:  # FarmPluginException: the reason
            jobid = "%s: %s" % (type(err).__name__, str(err)[:70])
        held = time.perf_counter() - started
        known = ""
        if jobid.startswith("conductor-upload-"):
            ended = wait_for(lambda: fpm().GetJobState(jobid) != State().kWaiting, timeout + 10)
            known = "; %s after %.1f s (node timeout %g s)" % (
                "no longer waiting" if ended else "still waiting", time.perf_counter() - started, timeout)
        print("  SubmitJob, %-26s held %6.3f s  -> %s%s" % (label + ":", held, jobid[:80], known))
        sandbox.faults.clear()
        sandbox.release()
        if farm._renders is not None:
            farm.renders.close()
        return farm

    submit("nothing hangs", None)
    submit("login hangs (token held)", "oauth", timeout=5.0)
    submit("upload URLs hang", "upload_urls", timeout=5.0)
    submit("job creation hangs", "jobs", timeout=5.0)

    farm = fresh()
    sandbox.faults.add("job_list", hang=True, times=None)
    for label, call in (("GetJobs", lambda: fpm().GetJobs()), ("GetJobState", lambda: fpm().GetJobState("00001")),
                        ("GetJobs again", lambda: fpm().GetJobs())):
        started = time.perf_counter()
        try:
            call()
            outcome = "answered"
        except Exception as err:
            outcome = type(err).__name__
        print("  %-13s while the job list hangs: held %6.3f s  (%s)" % (label, time.perf_counter() - started, outcome))
    sandbox.faults.clear()
    sandbox.release()
    if farm._renders is not None:
        farm.renders.close()


if __name__ == "__main__":
    sys.exit(main())
