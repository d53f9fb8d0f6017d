"""The runner through ciocore's real Submit against the local sandbox.

Jobs with uploads cost ~10 s each (ciocore's uploader polls every 5 s), so
only the end-to-end test uploads; the semantics tests submit payloads with
no upload paths, which ciocore sends at once.
"""

import base64
import hashlib
import os
import shutil
import threading
import time

import pytest

from ciokatana.core import events as ev
from ciokatana.core.filescene import FileScene
from ciokatana.core.plan import plan_submission
from ciokatana.core.runner import CANCELLED, FAILED, SUCCEEDED, ConductorSource, Runner, conductor_submit_factory
from ciokatana.core.settings import Settings
from ciokatana.standalone.sample_show import ensure_sample_show

from conftest_paths import EXAMPLES


def b64md5(path):
    with open(path, "rb") as handle:
        return base64.b64encode(hashlib.md5(handle.read()).digest()).decode()


def factory_for(sandbox):
    return conductor_submit_factory(sandbox.ciocore_config.database_filepath)


def run(payloads, sandbox, on_event=None, cancel_grace=1.0):
    seen = []

    def listen(event):
        seen.append(event)
        if on_event:
            on_event(event, runner)

    runner = Runner(ConductorSource(payloads, factory_for(sandbox), cancel_grace=cancel_grace), listen)
    runner.start()
    return runner, seen


def light_payloads(n=4, bad=None):
    """Valid payloads for the sandbox's catalog, with nothing to upload."""
    shot = FileScene(os.path.join(EXAMPLES, "shot010.json"))
    plan = plan_submission(shot.snapshot(), Settings.from_dict(shot.load_settings()))
    base = dict(plan.payloads[0], upload_paths=[], tasks_data=plan.payloads[0]["tasks_data"][:2])
    out = []
    for i in range(n):
        payload = dict(base, job_title="job{}".format(i + 1))
        if bad == i + 1:
            payload["project"] = "No Such Project"
        out.append(payload)
    return out


@pytest.mark.slow
def test_example_scene_submits_end_to_end(ciocore_sandbox, tmp_path):
    sandbox = ciocore_sandbox
    for name in ("shot010.json", "shot010_lighting_v003.katana"):
        shutil.copy(os.path.join(EXAMPLES, name), str(tmp_path))
    ensure_sample_show(str(tmp_path))
    scene = FileScene(str(tmp_path / "shot010.json"), nodes=["beauty", "char_hero"])
    plan = plan_submission(scene.snapshot(), Settings.from_dict(scene.load_settings()))
    runner, seen = run(plan.payloads, sandbox)
    assert runner.wait(120) and runner.state == SUCCEEDED, [e.data for e in runner.errors]

    # one job per Render node, carrying the payload we built
    assert [j["payload"]["job_title"] for j in sandbox.jobs] == [p["job_title"] for p in plan.payloads]
    for job, payload in zip(sandbox.jobs, plan.payloads):
        for key in ("output_path", "tasks_data", "software_package_ids", "environment", "scout_frames", "instance_type"):
            assert job["payload"][key] == payload[key], key
        uploaded = {f["destination"]: f["md5"] for f in job["payload"]["upload_files"]}
        assert sorted(uploaded) == sorted(payload["upload_paths"])
    # every asset byte-identical on the service, md5 checked
    files = plan.payloads[0]["upload_paths"]
    assert len(files) == 49
    for path in files:
        md5 = b64md5(path)
        with open(path, "rb") as handle:
            assert sandbox.file_bytes(md5) == handle.read(), path
    # the second job's shared assets were not uploaded again
    stored = [entry for entry in sandbox.upload_log if entry["stored"]]
    assert sorted(e["path"] for e in stored) == sorted(files)
    last_progress = [e for e in seen if e.type == ev.PROGRESS and e.job_title == plan.payloads[1]["job_title"]][-1]
    assert all(f["already_uploaded"] for f in last_progress.data["file_progress"].values())
    assert [r.data["jobid"] for r in runner.responses] == [j["jobid"] for j in sandbox.jobs]


def test_error_in_job_two_of_four_lets_three_and_four_go_on(ciocore_sandbox):
    runner, seen = run(light_payloads(4, bad=2), ciocore_sandbox)
    assert runner.wait(60) and runner.state == FAILED
    assert [(e.type, e.job_title) for e in seen if e.type in ("response", "error")] == [
        ("response", "job1"), ("error", "job2"), ("response", "job3"), ("response", "job4")
    ]
    assert "400" in runner.errors[0].data["exception"]
    assert [j["payload"]["job_title"] for j in ciocore_sandbox.jobs] == ["job1", "job3", "job4"]
    assert [e.type for e in seen].count("done") == 1


def test_cancel_on_a_hung_service_returns_within_two_seconds(ciocore_sandbox):
    sandbox = ciocore_sandbox
    timing = {}

    def on_event(event, runner):
        if event.type == ev.RESPONSE and event.job_title == "job1":
            sandbox.faults.add("jobs", hang=True, times=None)
        if event.type == ev.JOB_START and event.job_title == "job2":
            def cancel():
                timing["asked"] = time.monotonic()
                runner.cancel()
            threading.Timer(0.5, cancel).start()
        if event.type == ev.DONE:
            timing["done"] = time.monotonic()

    runner, seen = run(light_payloads(4), sandbox, on_event)
    assert runner.wait(30)
    assert timing["done"] - timing["asked"] < 2.0
    assert runner.state == CANCELLED
    assert [(e.type, e.job_title) for e in seen][-3:] == [("job_start", "job2"), ("error", "job2"), ("done", "")]
    assert seen[-2].is_cancel and not [e for e in seen if e.job_title in ("job3", "job4")]
    assert [j["payload"]["job_title"] for j in sandbox.jobs] == ["job1"]
    # the abandoned ciocore call ends once the service lets go
    sandbox.faults.clear()
    sandbox.release()
    for thread in runner.abandoned_threads():
        thread.join(30)
    assert not runner.abandoned_threads()


def test_no_runner_thread_outlives_done(ciocore_sandbox):
    before = set(threading.enumerate())
    runner, _seen = run(light_payloads(2), ciocore_sandbox)
    assert runner.wait(30) and runner.state == SUCCEEDED
    runner._thread.join(5)
    ours = [t for t in set(threading.enumerate()) - before if t.name.startswith(("ciokatana-runner", "ciokatana-job")) and t.is_alive()]
    assert not ours, ours
