"""Sandbox lifecycle, auth, routing, redaction, the client helpers and the command line."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from ciokatana.sandbox import Sandbox, configure_ciocore


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_lifecycle():
    sandbox = Sandbox()
    with pytest.raises(RuntimeError):
        assert sandbox.port
    with sandbox:
        assert sandbox.running
        assert sandbox.url == "http://127.0.0.1:%d" % sandbox.port
        assert sandbox.start() is sandbox
    assert not sandbox.running
    sandbox.stop()  # again: harmless
    with pytest.raises(RuntimeError):
        sandbox.start()
    assert not [t for t in threading.enumerate() if t.name.startswith("ciokatana-sandbox")]


def test_every_api_call_needs_a_token_from_this_sandbox(sandbox, auth_headers, bearer):
    url = sandbox.url + "/api/v1/projects/"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, headers={"Authorization": "Bearer abc.def.ghi"},
                        timeout=10).status_code == 401
    with Sandbox() as other:
        foreign = bearer(other)
    response = requests.get(url, headers={"Authorization": "Bearer " + foreign}, timeout=10)
    assert response.status_code == 401
    assert response.json()["error"]
    assert requests.get(url, headers=auth_headers(sandbox), timeout=10).status_code == 200


def test_oauth_rejects_wrong_credentials(sandbox):
    key = sandbox.api_key
    url = sandbox.url + "/api/oauth_jwt"
    params = {"grant_type": "client_credentials", "scope": "owner admin user",
              "client_id": key["client_id"], "client_secret": "wrong"}
    assert requests.get(url, params=params, timeout=10).status_code == 401
    params.update(client_secret=key["private_key"], client_id="someone-else")
    assert requests.get(url, params=params, timeout=10).status_code == 401
    params.update(client_id=key["client_id"], grant_type="password")
    assert requests.get(url, params=params, timeout=10).status_code == 400
    params.update(grant_type="client_credentials")
    body = requests.get(url, params=params, timeout=10).json()
    assert body["expires_in"] == 3600 and body["access_token"].count(".") == 2


def test_unknown_paths_answer_json(sandbox):
    response = requests.get(sandbox.url + "/api/v1/nothing-here", timeout=10)
    assert response.status_code == 404
    assert "nothing-here" in response.json()["error"]
    response = requests.delete(sandbox.url + "/api/v1/projects/", timeout=10)
    assert response.status_code == 405
    assert response.json()["error"]


def test_no_credential_is_recorded(ciocore_sandbox):
    from ciocore import api_client

    api_client.request_projects()
    token = api_client.read_conductor_credentials(True)
    secrets = [token, ciocore_sandbox.api_key["private_key"], ciocore_sandbox.api_key["client_id"]]
    recorded = json.dumps(ciocore_sandbox.requests) + json.dumps(ciocore_sandbox.state())
    for secret in secrets:
        assert secret not in recorded
    oauth = [r for r in ciocore_sandbox.requests if r["endpoint"] == "oauth"][0]
    assert "client_secret=REDACTED" in oauth["path"]
    assert [r["authorization"] for r in ciocore_sandbox.requests if r["endpoint"] == "projects"] \
        == ["REDACTED"]


def test_configure_ciocore_restores_everything(sandbox, tmp_path):
    from ciocore import config

    before = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    url_before = config.get(force=True)["url"]
    with configure_ciocore(sandbox.url, sandbox.api_key, str(tmp_path / "h")) as cfg:
        assert config.get()["url"] == sandbox.url
        assert config.get()["api_key"] == sandbox.api_key
        assert os.environ["HOME"] == str(tmp_path / "h")
        assert cfg.database_filepath.startswith(str(tmp_path / "h"))
    assert {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"} == before
    assert config.get()["url"] == url_before

    with pytest.raises(ValueError, match="real home"):
        configure_ciocore(sandbox.url, sandbox.api_key, os.path.expanduser("~"))
    assert {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"} == before


def test_client_env_drives_ciocore_in_a_subprocess(sandbox, tmp_path):
    env = sandbox.client_env(str(tmp_path / "subhome"))
    env["PYTHONPATH"] = REPO + os.pathsep + env.get("PYTHONPATH", "")
    code = "from ciocore import api_client; print(sorted(api_client.request_projects()))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert "'default'" in out.stdout
    assert (tmp_path / "subhome" / ".config" / "conductor" / "api_key_credentials").is_file()


def test_command_line_serves_until_interrupted(tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = REPO + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ciokatana.sandbox", "--port", "0",
         "--storage", str(tmp_path / "store")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert first.startswith("Conductor sandbox serving at http://127.0.0.1:"), first
        url = first.split()[-1]
        lines = []
        while not lines or not lines[-1].startswith("Press Ctrl-C"):
            lines.append(proc.stdout.readline())
        text = "".join(lines)
        assert "THROW-AWAY" in text
        assert "export CONDUCTOR_API_KEY='" in text
        state = requests.get(url + "/_sandbox/state", timeout=10).json()
        assert state["jobs"] == [] and state["file_count"] == 0
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert "Sandbox stopped" in out
    assert (tmp_path / "store" / "sandbox-key.json").is_file()


def test_many_parallel_requests(sandbox, auth_headers):
    headers = auth_headers(sandbox)
    results = []

    def hit():
        results.append(requests.get(sandbox.url + "/api/v1/instance-types", headers=headers,
                                    timeout=30).status_code)

    threads = [threading.Thread(target=hit) for _ in range(20)]
    start = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [200] * 20
    assert time.time() - start < 20
