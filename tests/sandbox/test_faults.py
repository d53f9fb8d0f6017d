"""Fault injection: each kind, through ciocore where it is quick, and over HTTP."""

import threading
import time

import pytest
import requests
from ciocore import api_client

from ciokatana.sandbox import ENDPOINTS, Sandbox
from ciokatana.sandbox import server



def _wait_for(condition, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


class _Call(threading.Thread):
    """Run one HTTP request on a daemon thread and keep its outcome."""

    def __init__(self, url, headers, timeout=30):
        super(_Call, self).__init__(daemon=True)
        self.url, self.headers, self.timeout = url, headers, timeout
        self.response = self.error = None

    def run(self):
        try:
            self.response = requests.get(self.url, headers=self.headers, timeout=self.timeout)
        except requests.RequestException as err:
            self.error = err


def test_status_fault_counts_down(ciocore_sandbox):
    ciocore_sandbox.faults.add("projects", status=500, times=1)
    with pytest.raises(Exception, match="500"):
        api_client.request_projects()
    assert "default" in api_client.request_projects()
    assert len(ciocore_sandbox.faults) == 0


def test_status_fault_until_cleared(ciocore_sandbox):
    fault = ciocore_sandbox.faults.add("instance_types", status=503, times=None)
    for _ in range(3):
        with pytest.raises(Exception, match="503"):
            api_client.request_instance_types()
    assert fault.hits == 3
    ciocore_sandbox.faults.clear()
    assert api_client.request_instance_types()


def test_drop_closes_without_answer_and_ciocore_retries(ciocore_sandbox, auth_headers):
    sandbox = ciocore_sandbox
    sandbox.faults.add("projects", drop=True, times=1)
    assert "default" in api_client.request_projects()
    seen = [(r["status"], r["fault"]) for r in sandbox.requests if r["endpoint"] == "projects"]
    assert seen == [(None, "drop"), (200, None)]

    sandbox.faults.add("projects", drop=True)
    with pytest.raises(requests.ConnectionError):
        requests.get(sandbox.url + "/api/v1/projects/", headers=auth_headers(sandbox), timeout=10)


def test_oauth_fault_leaves_ciocore_without_credentials(ciocore_sandbox):
    ciocore_sandbox.faults.add("oauth", status=500)
    with pytest.raises(Exception, match="credentials"):
        api_client.request_projects()


def test_delay_fault(sandbox, auth_headers):
    headers = auth_headers(sandbox)
    sandbox.faults.add("job_list", delay=0.5)
    start = time.time()
    response = requests.get(sandbox.url + "/api/v1/jobs", headers=headers, timeout=30)
    assert response.status_code == 200
    assert time.time() - start >= 0.5


def test_hang_is_released_by_release(sandbox, auth_headers):
    headers = auth_headers(sandbox)
    sandbox.faults.add("packages", hang=True)
    call = _Call(sandbox.url + "/api/v1/ee/packages", headers)
    call.start()
    assert _wait_for(lambda: sandbox.faults.hung_count == 1)
    assert call.is_alive()
    assert sandbox.release() == 1
    call.join(10)
    assert call.response is not None and call.response.status_code == 200
    assert call.response.json()["data"]


def test_hang_combined_with_status(sandbox, auth_headers):
    headers = auth_headers(sandbox)
    sandbox.faults.add("packages", hang=True, status=502)
    call = _Call(sandbox.url + "/api/v1/ee/packages", headers)
    call.start()
    assert _wait_for(lambda: sandbox.faults.hung_count == 1)
    sandbox.release()
    call.join(10)
    assert call.response.status_code == 502


@pytest.mark.parametrize("fault", [{"hang": True}, {"delay": 60}])
def test_stop_is_prompt_while_a_request_is_held(fault, tmp_path, auth_headers):
    sandbox = Sandbox().start()
    headers = auth_headers(sandbox)
    sandbox.faults.add("projects", **fault)
    call = _Call(sandbox.url + "/api/v1/projects/", headers)
    call.start()
    assert _wait_for(lambda: sandbox.faults.held_count == 1)
    start = time.time()
    sandbox.stop()
    assert time.time() - start < 2.0
    call.join(10)
    assert not call.is_alive()
    assert call.error is not None, "a held request must not get an answer after stop"
    assert not [t for t in threading.enumerate() if t.name.startswith("ciokatana-sandbox")
                and t.is_alive()]


def test_faults_over_http(sandbox, auth_headers):
    headers = auth_headers(sandbox)
    admin = sandbox.url + "/_sandbox/faults"
    response = requests.post(admin, json={"endpoint": "job_list", "status": 503, "times": 2},
                             timeout=10)
    assert response.status_code == 201
    assert response.json()["faults"][0]["endpoint"] == "job_list"
    state = requests.get(sandbox.url + "/_sandbox/state", timeout=10).json()
    assert state["faults"][0]["times"] == 2

    codes = [requests.get(sandbox.url + "/api/v1/jobs", headers=headers, timeout=10).status_code
             for _ in range(3)]
    assert codes == [503, 503, 200]

    requests.post(admin, json=[{"endpoint": "logs", "drop": True, "times": None},
                               {"endpoint": "jobs", "delay": 1}], timeout=10)
    assert len(requests.get(admin, timeout=10).json()["faults"]) == 2
    assert requests.delete(admin + "?endpoint=logs", timeout=10).json() == {"cleared": 1}
    assert requests.delete(admin, timeout=10).json() == {"cleared": 1}

    bad = requests.post(admin, json={"endpoint": "nonsense", "status": 500}, timeout=10)
    assert bad.status_code == 400 and "nonsense" in bad.json()["error"]
    assert requests.post(admin, json={"endpoint": "jobs"}, timeout=10).status_code == 400
    assert len(sandbox.faults) == 0


def test_fault_arguments_are_checked(sandbox):
    with pytest.raises(ValueError):
        sandbox.faults.add("no_such_endpoint", status=500)
    with pytest.raises(ValueError):
        sandbox.faults.add("jobs")
    with pytest.raises(ValueError):
        sandbox.faults.add("jobs", status=500, drop=True)
    with pytest.raises(ValueError):
        sandbox.faults.add("jobs", status=500, times=0)


def test_every_fault_endpoint_is_served():
    routed = {route.endpoint for route in server._ROUTES if route.endpoint}
    assert routed == set(ENDPOINTS)


def test_lose_answer_serves_the_request_then_hangs_up(sandbox, auth_headers):
    """The answer is lost: the job exists although its client never heard (the ghost-job case)."""
    import json

    sandbox.faults.add("jobs", lose_answer=True)
    body = {"job_title": "lost", "project": "default", "instance_type": "n2-standard-4",
            "output_path": "/renders", "tasks_data": [{"command": "katana -t 1", "frames": "1"}]}
    with pytest.raises(requests.ConnectionError):
        requests.post(sandbox.url + "/jobs/", headers=auth_headers(sandbox), data=json.dumps(body), timeout=10)
    assert [j["payload"]["job_title"] for j in sandbox.jobs] == ["lost"]
    assert sandbox.requests[-1]["status"] is None and sandbox.requests[-1]["fault"] == "lose-answer"
    with pytest.raises(ValueError, match="one of them"):
        sandbox.faults.add("jobs", lose_answer=True, status=500)
