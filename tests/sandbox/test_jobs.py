"""Job submission, validation, listing, logs and kills through ciocore's api_client.

Through :mod:`ciokatana.core.ciocompat`, which is ciocore's own code where
ciocore has it (8.0+) and the same requests through ciocore's ApiClient on
7.0.2 (Python 3.7); ``fallback`` runs the latter on every ciocore.
"""

import json
import threading

import pytest
import requests
from ciocore import api_client

from ciokatana.core import ciocompat


def _job(**extra):
    payload = {
        "job_title": "shot010 beauty",
        "project": "Episode 104",
        "instance_type": "n2-standard-8",
        "output_path": "/renders/shot010",
        "scout_frames": "1,5",
        "tasks_data": [
            {"command": "katana --batch -t 1-2", "frames": "1-2"},
            {"command": "katana --batch -t 3-4", "frames": "3-4"},
            {"command": "katana --batch -t 5-6", "frames": "5-6"},
        ],
    }
    payload.update(extra)
    return payload


def test_submit_without_uploads_records_the_payload(ciocore_sandbox):
    response, code = ciocompat.submit(_job()).main()
    assert code == 201
    assert response["jobid"] == "00001"
    response, code = ciocompat.submit(_job(job_title="second")).main()
    assert response == {"body": "job submitted.", "jobid": "00002", "status": "success",
                        "uri": "/jobs/00002"}

    jobs = ciocore_sandbox.jobs
    assert [j["jobid"] for j in jobs] == ["00001", "00002"]
    assert jobs[0]["payload"]["job_title"] == "shot010 beauty"
    assert jobs[0]["payload"]["upload_files"] == []
    # Scout frames 1 and 5: the middle task holds.
    assert [t["status"] for t in jobs[0]["tasks"]] == ["pending", "holding", "pending"]


def test_daemon_jobs_are_accepted_with_files_left_to_the_daemon(ciocore_sandbox, tmp_path):
    """local_upload false: ciocore sends the files without md5 and uploads nothing, as for Conductor."""
    texture = tmp_path / "tex.tx"
    texture.write_bytes(b"texture bytes")
    response, code = ciocompat.submit(_job(local_upload=False, upload_paths=[str(texture)])).main()
    assert code == 201 and response["jobid"] == "00001"
    (job,) = ciocore_sandbox.jobs
    assert job["payload"]["local_upload"] is False
    assert [(f["destination"], f["md5"]) for f in job["payload"]["upload_files"]] == [(str(texture), None)]
    assert ciocore_sandbox.upload_log == [] and ciocore_sandbox.files == {}


def test_local_upload_jobs_still_need_their_files(ciocore_sandbox, auth_headers):
    body = _job(upload_files=[{"destination": "/x.tx", "md5": None}])
    headers = auth_headers(ciocore_sandbox)
    answer = requests.post(ciocore_sandbox.url + "/jobs/", headers=headers, data=json.dumps(body))
    assert answer.status_code == 400 and "has no md5" in answer.json()["error"]


@pytest.mark.parametrize("upload_paths, local_upload", [
    ([], False),          # ciocore 7.0.2 - 8.1 started an uploader with no file here
    (["EMPTY_DIR"], True),  # every ciocore up to 9.2: paths that expand to no file
])
def test_submit_with_nothing_to_upload_never_waits_on_an_uploader(
        ciocore_sandbox, tmp_path, upload_paths, local_upload):
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    paths = [str(tmp_path / "empty") if p == "EMPTY_DIR" else p for p in upload_paths]
    out = {}

    def work():
        try:
            out["result"] = ciocompat.submit(
                _job(upload_paths=paths, local_upload=local_upload)).main()
        except Exception as err:  # pragma: no cover - reported below
            out["error"] = err

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive(), "Submit.main() still waiting after 20 s"
    assert "error" not in out, out.get("error")
    assert out["result"][1] == 201
    payload = ciocore_sandbox.jobs[0]["payload"]
    assert payload["upload_files"] == [] and payload["upload_size"] == 0
    # Nothing to upload: the service must not wait for an upload daemon.
    assert payload["local_upload"] is True


@pytest.mark.parametrize("change, message", [
    ({"project": "No Such Project"}, "No Such Project"),
    ({"project": "Archive 2022"}, "not active"),
    ({"instance_type": "z9-imaginary"}, "z9-imaginary"),
    ({"software_package_ids": ["nope"]}, "nope"),
    ({"tasks_data": [{"frames": "1"}]}, "no command"),
])
def test_submit_refuses_what_the_service_would(ciocore_sandbox, change, message):
    with pytest.raises(Exception) as err:
        ciocompat.submit(_job(**change)).main()
    assert "400" in str(err.value)
    assert message in str(err.value)
    assert ciocore_sandbox.jobs == []


def test_missing_fields_and_unknown_files_are_refused(sandbox, auth_headers):
    headers = auth_headers(sandbox)
    payload = _job()
    del payload["output_path"]
    del payload["instance_type"]
    response = requests.post(sandbox.url + "/jobs/", data=json.dumps(payload), headers=headers,
                             timeout=10)
    assert response.status_code == 400
    assert "instance_type" in response.json()["error"]
    assert "output_path" in response.json()["error"]

    payload = _job(upload_files=[{"md5": "1B2M2Y8AsgTpgAmY7PhCfg==", "destination": "/tex/a.tx"}])
    response = requests.post(sandbox.url + "/jobs/", data=json.dumps(payload), headers=headers,
                             timeout=10)
    assert response.status_code == 400
    assert "/tex/a.tx" in response.json()["error"]

    response = requests.post(sandbox.url + "/jobs/", data="{not json", headers=headers, timeout=10)
    assert response.status_code == 400
    assert sandbox.jobs == []


@pytest.fixture(params=["ciocore", "fallback"])
def jobs_api(request, monkeypatch):
    """ciocompat as it is, and with ciocore's job functions hidden (as on 7.0.2)."""
    if request.param == "fallback":
        for name in ("get_jobs", "get_log", "kill_jobs", "kill_tasks"):
            monkeypatch.delattr(api_client, name, raising=False)
    return ciocompat


def test_job_list_logs_and_kills(ciocore_sandbox, jobs_api):
    for title in ("a", "b", "c"):
        ciocompat.submit(_job(job_title=title, scout_frames="")).main()

    jobs = jobs_api.get_jobs(2)
    assert [j["jid"] for j in jobs] == ["00002"]
    jobs = jobs_api.get_jobs(1, 3)
    assert [(j["jid"], j["title"], j["status"], j["project"]) for j in jobs] == [
        ("00001", "a", "pending", "Episode 104"),
        ("00002", "b", "pending", "Episode 104"),
        ("00003", "c", "pending", "Episode 104"),
    ]
    assert jobs[0]["tasks"] == 3 and jobs[0]["created"].endswith("Z")

    log = json.loads(jobs_api.get_log(1, 0))
    assert log["task_status"] == "pending" and log["logs"] == []
    ciocore_sandbox.set_job_status("00001", "success")
    log = json.loads(jobs_api.get_log(1, 0))
    assert log["task_status"] == "success"
    assert "$ katana --batch -t 1-2" in log["logs"][0]["log"]
    assert log["new_num_lines"] == [len(log["logs"][0]["log"])]
    with pytest.raises(Exception, match="404"):
        jobs_api.get_log(1, 7)

    result = jobs_api.kill_jobs("00002")
    assert result["body"] == "success"
    assert jobs_api.get_jobs(2)[0]["status"] == "killed"
    result = jobs_api.kill_tasks("00003", 0, 2)
    assert result["message"] == ' 2 Tasks set to "kill"\n\t000\n\t002'
    assert [t["status"] for t in ciocore_sandbox.jobs[2]["tasks"]] == ["killed", "pending",
                                                                       "killed"]
    # A finished job is not killed after the fact.
    jobs_api.kill_jobs(1)
    assert jobs_api.get_jobs(1)[0]["status"] == "success"
    with pytest.raises(Exception, match="404"):
        jobs_api.kill_jobs(99)
