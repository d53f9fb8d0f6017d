"""Issue 11 item 4: secrets never reach --debug output, logs or recordings.

Masking is installed wherever ciocore runs, on every logger ciocore,
requests and urllib3 write to (whatever handler prints them), the
configured API key is masked by value, and replayed mock events are
masked once, when read.
"""

import base64
import io
import json
import logging
import os
import subprocess
import sys

import pytest

from ciokatana.core import events as ev
from ciokatana.core import redact as redact_mod
from ciokatana.core.mock import MockRecorder, MockReplay
from ciokatana.core.redact import MASK, install_log_redaction, redact_text
from ciokatana.core.runner import ConductorSource, Runner, conductor_submit_factory

from conftest_paths import EXAMPLES, ROOT

KEY = {"client_id": "studio-client-7f3a9c", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEv4bQ\n-----END PRIVATE KEY-----"}


@pytest.fixture
def api_key_env(monkeypatch):
    monkeypatch.setenv("CONDUCTOR_API_KEY", json.dumps(KEY))
    monkeypatch.delenv("CONDUCTOR_API_KEY_PATH", raising=False)
    return KEY


def test_the_configured_key_is_masked_by_value_in_any_text(api_key_env):
    text = "401 for client studio-client-7f3a9c (key MIIEv4bQ)"
    out = redact_text(text)
    assert "studio-client-7f3a9c" not in out and "MIIEv4bQ" not in out and MASK in out


def test_a_base64_key_and_a_key_file_are_masked_by_value(monkeypatch, tmp_path):
    monkeypatch.setenv("CONDUCTOR_API_KEY", base64.b64encode(json.dumps(KEY).encode()).decode())
    assert "studio-client-7f3a9c" not in redact_text("id=studio-client-7f3a9c")
    monkeypatch.delenv("CONDUCTOR_API_KEY")
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(dict(KEY, client_id="file-client-123456")))
    monkeypatch.setenv("CONDUCTOR_API_KEY_PATH", str(key_file))
    assert redact_text("as file-client-123456") == "as " + MASK


def test_short_values_are_never_masked_by_value():
    redact_mod.set_secret_values(["1"])
    assert redact_text("frames 1-10") == "frames 1-10"


def test_secret_named_keys_inside_logged_dicts_and_json_are_masked():
    assert "abc" not in redact_text("environment:{'PATH': '/bin', 'API_TOKEN': 'abc'}")
    assert "p4ss" not in redact_text('data: {"environment": {"DB_PASSWORD": "p4ss"}}')
    assert redact_text("environment:{'PATH': '/bin'}") == "environment:{'PATH': '/bin'}"


@pytest.mark.parametrize("logger_name", ["conductor", "conductor.uploader", "ciocore.api_client",
                                         "urllib3.connectionpool", "requests.sessions", "ciokatana.core.runner"])
def test_every_ciocore_requests_and_urllib3_logger_is_masked_whatever_handler_prints(logger_name, api_key_env):
    install_log_redaction()
    logger = logging.getLogger(logger_name)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # added after install, on the child logger itself
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        logger.debug("GET /api/oauth_jwt?client_id=%s headers=%s", KEY["client_id"], {"Authorization": "Bearer abc.def"})
        try:
            raise ValueError("refused " + KEY["client_id"])
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    text = stream.getvalue()
    assert KEY["client_id"] not in text and "abc.def" not in text
    assert "refused " + MASK in text  # the traceback too


def test_other_loggers_are_left_alone():
    install_log_redaction()
    record = logging.getLogger("studio.tool").makeRecord("studio.tool", logging.INFO, "f", 1, "token %s", ("x",), None)
    assert record.msg == "token %s" and record.args == ("x",)


def test_a_recording_never_holds_an_unmasked_error_body(api_key_env, tmp_path):
    path = str(tmp_path / "run.json")
    recorder = MockRecorder(path)
    body = '{"error": "API key {\\"client_id\\": \\"studio-client-7f3a9c\\"} is not allowed here"}'
    recorder.write(ev.error("HTTPError", "400 Client Error: " + body, "job1", body=body))
    recorder.close()
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert "studio-client-7f3a9c" not in text and MASK in text


def test_replayed_events_are_masked_once_when_read(tmp_path):
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJhY2NvdW50IjoiMSJ9.c2lnbmF0dXJl"
    events = [
        {"event": "start", "data": {"job_count": 1}},
        {"event": "job_start", "data": {"job_index": 0, "job_title": "j"}},
        {"event": "error", "data": {"body": "Authorization: Bearer " + jwt, "exception": "token " + jwt,
                                    "traceback": "x", "exception_type": "HTTPError", "job_title": "j",
                                    "status": "error", "response_code": 401, "api_key": "raw-key-123"}},
        {"event": "done", "data": {}},
    ]
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps(events))
    seen = []
    Runner(MockReplay(str(path), 0.0), seen.append).run()
    error = [e for e in seen if e.type == "error"][0]
    assert jwt not in json.dumps(error.data) and "raw-key-123" not in json.dumps(error.data)


def test_a_sandbox_error_that_echoes_the_key_is_not_recorded(ciocore_sandbox, tmp_path):
    """ciocore's real error text, with the key's client id in the service's
    answer, goes to the --record file masked."""
    from ciokatana.core.filescene import FileScene
    from ciokatana.core.plan import plan_submission
    from ciokatana.core.settings import Settings

    client_id = ciocore_sandbox.api_key["client_id"]
    ciocore_sandbox.faults.add("jobs", status=400, message="API key {} may not submit".format(client_id))
    shot = FileScene(os.path.join(EXAMPLES, "shot010.json"))
    plan = plan_submission(shot.snapshot(), Settings.from_dict(shot.load_settings()))
    payload = dict(plan.payloads[0], upload_paths=[], tasks_data=plan.payloads[0]["tasks_data"][:1])
    record = str(tmp_path / "rec.json")
    recorder = MockRecorder(record)
    seen = []
    factory = conductor_submit_factory(ciocore_sandbox.ciocore_config.database_filepath)
    Runner(ConductorSource([payload], factory), seen.append, recorder).run()
    with open(record, encoding="utf-8") as handle:
        text = handle.read()
    assert any(e.type == "error" for e in seen)
    assert client_id not in text
    assert all(client_id not in json.dumps(e.data) for e in seen)


@pytest.mark.slow
def test_debug_output_of_a_sandbox_submit_shows_no_secret(tmp_path):
    env = dict(os.environ, HOME=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, "-m", "ciokatana.standalone.cli", "--debug", "submit", "--scene",
         os.path.join(EXAMPLES, "simple.json"), "--sandbox", "--frames", "1",
         "--env", "API_TOKEN=supersecret123", "--env", "DB_PASSWORD=abc",
         "--env", 'DB_PASSWORD_2=ab"LEAKONE99', "--env", "AUTH_TOKEN=/opt/x'LEAKTWO88"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text[-2000:]
    assert "DEBUG" in text and "API_TOKEN" in text  # the debug log did run and mention it
    assert "supersecret123" not in text and "'abc'" not in text and '"abc"' not in text
    assert "LEAKONE99" not in text and "LEAKTWO88" not in text  # an escaped quote, a path-like value
    assert "client_id=sandbox-" not in text


@pytest.mark.slow
def test_values_of_plain_names_or_that_are_part_of_the_payload_are_never_masked(tmp_path):
    """KEY_LIGHT is not a secret name, and a secret value that is also a
    node's name must not mask the node in the preview or the recording."""
    env = dict(os.environ, HOME=str(tmp_path))
    cli = [sys.executable, "-m", "ciokatana.standalone.cli"]
    preview = subprocess.run(cli + ["preview", "--scene", os.path.join(EXAMPLES, "shot010.json"),
                                    "--env", "KEY_LIGHT=beauty"], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=120)
    assert preview.returncode == 0, preview.stderr
    assert MASK not in preview.stdout and "--render-node=beauty" in preview.stdout
    record = str(tmp_path / "rec.json")
    proc = subprocess.run(cli + ["submit", "--scene", os.path.join(EXAMPLES, "simple.json"), "--sandbox",
                                 "--frames", "1", "--env", "KEY_LIGHT=Render", "--env", "API_TOKEN=Render",
                                 "--record", record], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    with open(record, encoding="utf-8") as handle:
        events = json.load(handle)
    titles = {e["data"]["job_title"] for e in events if e["event"] == "job_start"}
    assert titles == {"Katana simple_teapot_v001 Render"}
