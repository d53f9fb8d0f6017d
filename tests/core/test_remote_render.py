"""Renders handed to Conductor by a farm plug-in, end to end through ciocore and the sandbox.

Payloads here upload nothing (ciocore then submits at once); the Katana
farm-plug-in tests cover uploads of render files.
"""

import os
import time

import pytest

from ciokatana.core import jobs as jobs_mod
from ciokatana.core.jobs import JobService
from ciokatana.core.remote_render import LOCAL_PREFIX, RemoteRenders, RestartError, SubmitError, UnknownJob
from ciokatana.core.render_log import RenderLog, wait_for
from ciokatana.core.runner import conductor_submit_factory


def payload(title="shot010 beauty", project="Episode 104", tasks=2):
    return {
        "job_title": title,
        "project": project,
        "output_path": "/renders/shot010",
        "instance_type": "n2-standard-8",
        "preemptible": True,
        "scout_frames": "",
        "software_package_ids": [],
        "environment": {"LICENSE_TOKEN": "s3cr3t-value"},
        "metadata": {},
        "tasks_data": [{"command": "renderboot -frame %d" % (i + 1), "frames": str(i + 1)}
                       for i in range(tasks)],
        "upload_paths": [],
    }


@pytest.fixture
def renders(ciocore_sandbox, tmp_path):
    made = RemoteRenders(
        JobService(timeout=5), str(tmp_path / "logs"), project="Episode 104",
        submit_factory=conductor_submit_factory(ciocore_sandbox.ciocore_config.database_filepath),
        submit_wait=10, log_interval=0.1, state_ttl=0.05)
    yield made
    made.close()


def prepared(value):
    return lambda note: value


def test_submit_returns_the_job_id_and_the_state_follows_conductor(renders, ciocore_sandbox):
    ciocore_sandbox.run_jobs(wait=0.4, run=0.8, lines_per_second=20)
    jobid = renders.submit(prepared(payload()), title="beauty", header=["Katana node: beauty"])
    assert jobid == "00001"
    assert ciocore_sandbox.jobs[0]["payload"]["job_title"] == "shot010 beauty"

    seen = []

    def finished():
        state = renders.state(jobid)
        if not seen or seen[-1] != state:
            seen.append(state)
        return state in jobs_mod.FINISHED

    assert wait_for(finished, 10, step=0.05)
    assert seen == [jobs_mod.WAITING, jobs_mod.RUNNING, jobs_mod.COMPLETED]

    path = renders.log_path(jobid)
    log = RenderLog(path)
    assert wait_for(lambda: "=== Conductor job 00001 completed" in log.read(), 10)
    text = log.read()
    assert "Katana node: beauty" in text
    assert "[task 000] $ renderboot -frame 1" in text and "[task 001] Task complete." in text


def test_the_render_log_grows_while_the_job_runs(renders, ciocore_sandbox):
    ciocore_sandbox.run_jobs(wait=0.2, run=3, lines_per_second=10)
    jobid = renders.submit(prepared(payload(tasks=1)), title="beauty")
    path = renders.log_path(jobid)
    assert os.path.exists(path)
    sizes = []
    deadline = time.time() + 10
    while time.time() < deadline and renders.state(jobid) != jobs_mod.COMPLETED:
        sizes.append(os.path.getsize(path))
        time.sleep(0.25)
    distinct = sorted(set(sizes))
    assert len(distinct) >= 4, "the log grew in steps while running: %s" % distinct
    assert sizes == sorted(sizes), "the file only ever grows"
    progress = [line for line in RenderLog(path).read().splitlines() if "Rendering frames" in line]
    assert len(progress) >= 20 and len(progress) == len(set(progress)), "no line is written twice"


def test_a_job_not_created_within_the_wait_gets_a_local_id_that_follows_it(ciocore_sandbox, tmp_path):
    ciocore_sandbox.faults.add("jobs", delay=1.0)
    renders = RemoteRenders(
        JobService(timeout=5), str(tmp_path / "logs"), submit_wait=0.1, log_interval=0.1, state_ttl=0,
        submit_factory=conductor_submit_factory(ciocore_sandbox.ciocore_config.database_filepath))
    started = time.time()
    jobid = renders.submit(prepared(payload()), title="beauty")
    assert time.time() - started < 1.0
    assert jobid.startswith(LOCAL_PREFIX)
    assert renders.state(jobid) == jobs_mod.WAITING
    assert [j.name for j in renders.jobs()] == ["shot010 beauty [uploading to Conductor]"]
    assert wait_for(lambda: renders.find(jobid).jid == "00001", 10)
    ciocore_sandbox.set_job_status("00001", "running")
    assert renders.state(jobid) == jobs_mod.RUNNING or wait_for(
        lambda: renders.state(jobid) == jobs_mod.RUNNING, 5)
    listed = renders.jobs()
    assert [(j.jobid, j.name) for j in listed] == [(jobid, "shot010 beauty [Conductor 00001]")]
    renders.close()


def test_refusals_within_the_wait_raise_with_the_reason(renders, ciocore_sandbox):
    with pytest.raises(SubmitError, match="Archive 2022.*not active"):
        renders.submit(prepared(payload(project="Archive 2022")), title="beauty")

    def invalid(note):
        raise SubmitError("1 error(s): Setting 'Project': is empty")

    with pytest.raises(SubmitError, match="Project"):
        renders.submit(invalid, title="beauty")
    assert renders.jobs() == [] and ciocore_sandbox.jobs == []


def test_failed_job(renders, ciocore_sandbox):
    ciocore_sandbox.run_jobs(wait=0, run=0.3, fail_titles=["BROKEN"])
    jobid = renders.submit(prepared(payload(title="BROKEN beauty", tasks=1)), title="beauty")
    assert wait_for(lambda: renders.state(jobid) == jobs_mod.FAILED, 10)
    log = RenderLog(renders.log_path(jobid))
    assert wait_for(lambda: "=== Conductor job 00001 failed" in log.read(), 10)
    assert "[task 000] Exit code 1" in log.read()


def test_stop_then_restart_submits_again_under_the_same_id(renders, ciocore_sandbox):
    ciocore_sandbox.run_jobs(wait=0, run=30)
    jobid = renders.submit(prepared(payload()), title="beauty")
    assert wait_for(lambda: renders.state(jobid) == jobs_mod.RUNNING, 5)
    with pytest.raises(RestartError, match="still running; stop it first"):
        renders.restart(jobid)
    renders.stop(jobid)
    assert wait_for(lambda: renders.state(jobid) == jobs_mod.CANCELLED, 5)
    log = RenderLog(renders.log_path(jobid))

    ciocore_sandbox.run_jobs(wait=0, run=0.3)
    renders.restart(jobid)
    assert wait_for(lambda: renders.find(jobid).jid == "00002", 10)
    assert [j["payload"]["tasks_data"] for j in ciocore_sandbox.jobs][0] == \
        ciocore_sandbox.jobs[1]["payload"]["tasks_data"]
    assert wait_for(lambda: renders.state(jobid) == jobs_mod.COMPLETED, 10)
    assert renders.state("00002") == jobs_mod.COMPLETED
    assert wait_for(lambda: "=== Conductor job 00002 completed" in log.read(), 10), log.read()
    text = log.read()
    assert "=== restart: run 2" in text and "Conductor job 00002 created (run 2)" in text
    listed = renders.jobs()
    assert [(j.jobid, j.state) for j in listed] == [(jobid, jobs_mod.COMPLETED)], \
        "the restarted job is listed once, under the id Katana knows"
    assert "run 2" in listed[0].name


def test_unknown_ids_and_other_peoples_jobs(renders, ciocore_sandbox):
    with pytest.raises(UnknownJob):
        renders.state("00042")
    with pytest.raises(UnknownJob):
        renders.state("render_12")
    with pytest.raises(UnknownJob):
        renders.log_path("00042")
    with pytest.raises(UnknownJob):
        renders.stop("00042")
    # A job submitted some other way is listed and can be stopped, but not restarted.
    from ciokatana.core import ciocompat  # ciocore 7.0.2 hangs on a job without uploads

    ciocompat.submit(payload(title="from the dialog")).main()
    other = dict(payload(title="someone else's"), owner="somebody-else")
    ciocompat.submit(other).main()
    listed = renders.jobs()
    assert [j.name for j in listed] == ["from the dialog [Conductor 00001]"]
    with pytest.raises(RestartError, match="not submitted from this Katana session"):
        renders.restart("00001")
    renders.stop("00001")
    assert renders.state("00001") == jobs_mod.CANCELLED


def test_credentials_never_reach_the_render_log(renders, ciocore_sandbox):
    ciocore_sandbox.run_jobs(wait=0, run=0.2)
    jobid = renders.submit(prepared(payload(tasks=1)), title="beauty",
                           header=["token Bearer eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.c2ln"])
    log = RenderLog(renders.log_path(jobid))
    assert wait_for(lambda: "completed" in log.read(), 10)
    text = log.read()
    assert "eyJhbGciOiJIUzI1NiJ9" not in text
    assert "s3cr3t-value" not in text
    assert ciocore_sandbox.api_key["private_key"] not in text


def test_a_hung_service_gives_an_error_not_a_hang(renders, ciocore_sandbox):
    jobid = renders.submit(prepared(payload()), title="beauty")
    renders.service.timeout = 0.3
    ciocore_sandbox.faults.add("job_list", hang=True, times=None)
    started = time.time()
    with pytest.raises(jobs_mod.JobServiceError, match="did not answer within 0.3 s"):
        renders.state(jobid)
    with pytest.raises(jobs_mod.JobServiceError):
        renders.jobs()
    assert time.time() - started < 3
    ciocore_sandbox.faults.clear()
    ciocore_sandbox.release()


def test_every_render_is_sent_with_a_source_spec_carrying_the_settings_and_the_factory(tmp_path):
    """The uploader and timeout the ConductorRender node asks for reach the runner, with this object's factory."""
    from ciokatana.core import events as ev
    from ciokatana.core.submission import SourceSpec

    sent = []

    def starter(payload, on_event, spec):
        sent.append(spec)
        on_event(ev.response({"jobid": str(len(sent)).zfill(5), "body": "job submitted."}, 201, payload["job_title"]))

    factory = conductor_submit_factory(str(tmp_path / "md5.db"))
    renders = RemoteRenders(None, str(tmp_path / "logs"), submit_factory=factory, starter=starter, submit_wait=5)
    assert renders.submit(prepared(payload()), title="beauty") == "00001"
    chosen = SourceSpec(uploader="stock", timeout=42.0)
    assert renders.submit(prepared(payload()), title="beauty", spec=chosen) == "00002"
    assert [type(s) for s in sent] == [SourceSpec, SourceSpec]
    assert (sent[0].uploader, sent[0].submit_factory) == ("shared", factory)
    assert (sent[1].uploader, sent[1].timeout, sent[1].submit_factory) == ("stock", 42.0, factory)
    assert chosen.submit_factory is None  # the caller's spec is left as it was
    with pytest.raises(TypeError, match="SourceSpec"):
        renders.submit(prepared(payload()), title="beauty", spec=factory)
    renders.close()
