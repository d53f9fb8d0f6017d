"""Job information and control through ciocore's API client, against the sandbox.

What an artist notices: job states and logs read right, a dead or silent
service gives a clear error within the time limit (never a hang), and no
error text carries a credential.
"""

import json
import time

import pytest

from ciokatana.core import ciocompat  # ciocore 7.0.2 hangs on a job without uploads
from ciokatana.core import jobs as jobs_mod
from ciokatana.core.jobs import JobNotFound, JobService, JobServiceError


def _submit(title="shot010 beauty", tasks=2):
    payload = {
        "job_title": title,
        "project": "Episode 104",
        "instance_type": "n2-standard-8",
        "output_path": "/renders/shot010",
        "tasks_data": [{"command": "renderboot -frame %d" % (i + 1), "frames": str(i + 1)}
                       for i in range(tasks)],
    }
    response, code = ciocompat.submit(payload).main()
    assert code == 201
    return response["jobid"]


@pytest.mark.parametrize("status, state", [
    ("pending", jobs_mod.WAITING), ("holding", jobs_mod.WAITING), ("preempted", jobs_mod.WAITING),
    ("running", jobs_mod.RUNNING), ("success", jobs_mod.COMPLETED), ("failed", jobs_mod.FAILED),
    ("killed", jobs_mod.CANCELLED), ("Running", jobs_mod.RUNNING), ("something new", jobs_mod.WAITING),
    ("", jobs_mod.WAITING),
])
def test_status_words_map_onto_states(status, state):
    assert jobs_mod.job_state({"status": status}) == state


def test_state_from_task_counts_when_the_job_has_no_status():
    assert jobs_mod.job_state({"task_status_counts": {"success": 3, "running": 1}}) == jobs_mod.RUNNING
    assert jobs_mod.job_state({"task_status_counts": {"success": 3, "failed": 1}}) == jobs_mod.FAILED
    assert jobs_mod.job_state({"task_status_counts": {"success": 3}}) == jobs_mod.COMPLETED
    assert jobs_mod.job_state({"task_status_counts": {"success": 1, "killed": 2}}) == jobs_mod.CANCELLED


def test_job_ids():
    assert jobs_mod.jid(42) == "00042" and jobs_mod.jid("00042") == "00042"
    assert jobs_mod.jid("conductor-upload-1a2b") is None and jobs_mod.jid("") is None


def test_list_read_log_and_kill_through_ciocore(ciocore_sandbox):
    ciocore_sandbox.run_jobs(wait=0, run=30, lines_per_second=10)
    first = _submit("a")
    second = _submit("b", tasks=3)
    service = JobService(timeout=10)

    listed = service.list_jobs()
    assert [j["jid"] for j in listed] == [first, second]
    job = service.get_job(second)
    assert job["title"] == "b" and jobs_mod.task_count(job) == 3
    assert jobs_mod.job_state(job) == jobs_mod.RUNNING

    time.sleep(0.3)
    log = service.task_log(second, 1)
    lines = jobs_mod.log_lines(log)
    assert lines[2] == "$ renderboot -frame 2"

    service.kill_job(second)
    assert jobs_mod.job_state(service.get_job(second)) == jobs_mod.CANCELLED
    assert jobs_mod.job_state(service.get_job(first)) == jobs_mod.RUNNING
    requests = [r for r in ciocore_sandbox.requests if r["endpoint"] == "kill_jobs"]
    assert len(requests) == 1 and requests[0]["method"] == "PUT"


def test_unknown_jobs_and_tasks(ciocore_sandbox):
    jid = _submit()
    service = JobService(timeout=10)
    with pytest.raises(JobNotFound) as err:
        service.get_job("00077")
    assert err.value.jobid == "00077"
    with pytest.raises(JobNotFound):
        service.task_log(jid, 9)
    with pytest.raises(JobNotFound):
        service.kill_job("00077")
    with pytest.raises(JobNotFound, match="not a Conductor job id"):
        service.get_job("render_7")


def test_service_errors_say_what_and_why(ciocore_sandbox):
    _submit()
    ciocore_sandbox.faults.add("job_list", status=503, message="maintenance window")
    with pytest.raises(JobServiceError) as err:
        JobService(timeout=10).list_jobs()
    assert "503" in str(err.value) and "maintenance window" in str(err.value)
    assert "listing jobs" in str(err.value)


def test_a_hung_service_returns_an_error_within_the_time_limit(ciocore_sandbox):
    jid = _submit()
    service = JobService(timeout=0.5, max_stuck=2)
    ciocore_sandbox.faults.add("job_list", hang=True, times=None)
    started = time.time()
    with pytest.raises(JobServiceError, match="did not answer within 0.5 s while reading job"):
        service.get_job(jid)
    assert time.time() - started < 2.0
    # The same question again does not start another request, nor wait again:
    # the first one's time is already up.
    started = time.time()
    with pytest.raises(JobServiceError, match="did not answer"):
        service.get_job(jid)
    assert time.time() - started < 0.2
    assert service.stuck_requests() == 1
    # A different one may start, but no more than max_stuck are ever left hanging.
    with pytest.raises(JobServiceError):
        service.list_jobs()
    started = time.time()
    with pytest.raises(JobServiceError, match="has not answered 2 earlier request"):
        service.list_jobs("00001", "00009")
    assert time.time() - started < 0.5
    assert ciocore_sandbox.faults.hung_count == 2

    ciocore_sandbox.faults.clear()
    ciocore_sandbox.release()
    deadline = time.time() + 5
    while service.stuck_requests() and time.time() < deadline:
        time.sleep(0.02)
    assert service.get_job(jid)["jid"] == jid


def test_no_credential_reaches_an_error_message():
    secret = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"

    def leaky(uri, verb, params, data):
        raise RuntimeError("401 Client Error for url with Authorization: Bearer %s and client_secret=hunter2"
                           % secret)

    with pytest.raises(JobServiceError) as err:
        JobService(timeout=2, request=leaky).list_jobs()
    text = str(err.value)
    assert secret not in text and "hunter2" not in text

    def body_leak(uri, verb, params, data):
        return json.dumps({"error": "bad token Bearer %s" % secret}), 500

    with pytest.raises(JobServiceError) as err:
        JobService(timeout=2, request=body_leak).list_jobs()
    assert secret not in str(err.value) and "500" in str(err.value)


def test_without_credentials_no_browser_login_is_attempted():
    calls = []

    def check():
        raise RuntimeError("no Conductor credentials: set CONDUCTOR_API_KEY")

    def request(*args):
        calls.append(args)
        return "{}", 200

    with pytest.raises(JobServiceError, match="CONDUCTOR_API_KEY"):
        JobService(timeout=2, request=request, check_credentials=check).list_jobs()
    assert calls == []
