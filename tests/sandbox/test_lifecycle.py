"""Jobs that run by themselves: statuses advance, logs grow, kills and faults still apply.

The sandbox's clock is replaced by a fake one, so these tests step time
instead of sleeping; one test uses the real clock end to end over HTTP.
"""

import json
import time

import pytest
import requests
# ciocompat: ciocore 7.0.2 (Python 3.7) has no get_jobs/get_log/kill_jobs, and its
# Submit waits for ever on a job with nothing to upload (docs/ciocore.md).
from ciokatana.core import ciocompat
from ciokatana.sandbox.lifecycle import Lifecycle


class FakeClock(object):
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def step(self, seconds):
        self.now += seconds


def _job(title="shot010 beauty", scout=""):
    return {
        "job_title": title,
        "project": "Episode 104",
        "instance_type": "n2-standard-8",
        "output_path": "/renders/shot010",
        "scout_frames": scout,
        "tasks_data": [
            {"command": "renderboot -frame 1", "frames": "1"},
            {"command": "renderboot -frame 2", "frames": "2"},
        ],
    }


def _submit(**kw):
    response, code = ciocompat.submit(_job(**kw)).main()
    assert code == 201
    return response["jobid"]


def _status(jid):
    return ciocompat.get_jobs(int(jid))[0]["status"]


def _log(jid, tid=0):
    return json.loads(ciocompat.get_log(int(jid), tid))


def test_jobs_wait_run_and_complete_with_a_growing_log(ciocore_sandbox):
    clock = FakeClock()
    ciocore_sandbox.run_jobs(wait=2, run=4, lines_per_second=2, clock=clock)
    jid = _submit()

    assert _status(jid) == "pending"
    assert _log(jid)["logs"] == [] and _log(jid)["task_status"] == "pending"

    clock.step(2.5)  # 0.5 s into running
    assert _status(jid) == "running"
    early = _log(jid)["logs"][0]["log"]
    assert early[2] == "$ renderboot -frame 1"

    clock.step(2.0)  # 2.5 s into running
    later = _log(jid)["logs"][0]["log"]
    assert len(later) > len(early)
    assert later[:len(early)] == early, "a growing log keeps the lines it already had"
    assert "Rendering frames 1" in later[-1]

    clock.step(2.0)
    assert _status(jid) == "success"
    final = _log(jid)
    assert final["task_status"] == "success"
    assert final["logs"][0]["log"][-1] == "Task complete."
    # The finished log stops growing.
    clock.step(10)
    assert _log(jid)["logs"][0]["log"] == final["logs"][0]["log"]


def test_a_job_can_be_made_to_fail_by_title_or_by_id(ciocore_sandbox):
    clock = FakeClock()
    ciocore_sandbox.run_jobs(wait=1, run=1, fail_titles=["BROKEN"], clock=clock)
    good = _submit(title="good")
    bad_title = _submit(title="shot BROKEN lighting")
    bad_id = _submit(title="another")
    ciocore_sandbox.fail_job(bad_id)

    clock.step(5)
    assert [_status(j) for j in (good, bad_title, bad_id)] == ["success", "failed", "failed"]
    log = _log(bad_title)
    assert log["task_status"] == "failed"
    assert log["logs"][0]["log"][-1] == "Exit code 1"
    with pytest.raises(KeyError):
        ciocore_sandbox.fail_job("00099")


def test_a_killed_job_stays_killed_and_its_log_stops(ciocore_sandbox):
    clock = FakeClock()
    ciocore_sandbox.run_jobs(wait=1, run=10, lines_per_second=1, clock=clock)
    jid = _submit()
    clock.step(4)
    assert _status(jid) == "running"
    ciocompat.kill_jobs(jid)
    assert _status(jid) == "killed"
    lines = _log(jid)["logs"][0]["log"]
    assert lines[-1] == "Task killed."
    clock.step(30)
    assert _status(jid) == "killed"
    assert _log(jid)["logs"][0]["log"] == lines


def test_scout_held_tasks_keep_holding(ciocore_sandbox):
    clock = FakeClock()
    ciocore_sandbox.run_jobs(wait=1, run=1, clock=clock)
    jid = _submit(scout="1")
    clock.step(5)
    tasks = ciocore_sandbox.jobs[0]["tasks"]
    assert [t["status"] for t in tasks] == ["success", "holding"]
    assert _status(jid) == "holding"


def test_without_a_lifecycle_jobs_do_not_move(ciocore_sandbox):
    jid = _submit()
    time.sleep(0.2)
    assert _status(jid) == "pending"
    assert ciocore_sandbox.lifecycle is None


def test_faults_apply_to_job_list_and_logs(ciocore_sandbox):
    ciocore_sandbox.run_jobs(wait=0, run=1)
    jid = _submit()
    ciocore_sandbox.faults.add("job_list", status=503, message="list is down")
    with pytest.raises(Exception, match="503"):
        ciocompat.get_jobs(int(jid))
    ciocore_sandbox.faults.add("logs", status=500)
    with pytest.raises(Exception, match="500"):
        ciocompat.get_log(int(jid), 0)
    assert ciocompat.get_jobs(int(jid))[0]["jid"] == jid


def test_lifecycle_over_the_admin_routes(sandbox, auth_headers):
    url = sandbox.url
    response = requests.post(url + "/_sandbox/lifecycle", timeout=10,
                             data=json.dumps({"wait": 0, "run": 0.3, "fail_titles": ["bad"]}))
    assert response.status_code == 200
    assert requests.get(url + "/_sandbox/lifecycle", timeout=10).json()["lifecycle"]["run"] == 0.3
    bad = requests.post(url + "/_sandbox/lifecycle", data=json.dumps({"wait": -1}), timeout=10)
    assert bad.status_code == 400 and "negative" in bad.json()["error"]
    unknown = requests.post(url + "/_sandbox/lifecycle", data=json.dumps({"speed": 1}), timeout=10)
    assert unknown.status_code == 400 and "speed" in unknown.json()["error"]

    headers = auth_headers(sandbox)
    response = requests.post(url + "/jobs/", data=json.dumps(_job(title="ok")), headers=headers,
                             timeout=10)
    jid = response.json()["jobid"]
    assert requests.post(url + "/_sandbox/jobs/%s/fail" % jid, timeout=10).status_code == 200
    assert requests.post(url + "/_sandbox/jobs/77/fail", timeout=10).status_code == 404
    # Real clock: the job is listed, then finishes (failed, as asked) within a second or so.
    deadline = time.time() + 5
    status = None
    while time.time() < deadline:
        listing = requests.get(url + "/api/v1/jobs", params={"filter": "jid_eq_%d" % int(jid)},
                               headers=headers, timeout=10).json()["data"]
        status = listing[0]["status"]
        if status in ("success", "failed"):
            break
        time.sleep(0.05)
    assert status == "failed"
    assert requests.delete(url + "/_sandbox/lifecycle", timeout=10).json() == {"lifecycle": None}
    assert sandbox.state()["lifecycle"] is None


def test_lifecycle_rejects_bad_values():
    with pytest.raises(ValueError):
        Lifecycle(run=-1)
    with pytest.raises(ValueError, match="fail_titles"):
        Lifecycle.from_dict({"fail_titles": "x"})


def test_command_line_flag_for_jobs_that_run(capsys):
    from ciokatana.sandbox.cli import build_parser

    assert build_parser().parse_args(["--run-jobs", "2,10"]).run_jobs == (2.0, 10.0)
    assert build_parser().parse_args([]).run_jobs is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--run-jobs", "fast"])
    assert "expected WAIT,RUN" in capsys.readouterr().err
