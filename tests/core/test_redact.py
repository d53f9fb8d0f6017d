"""Credentials never reach previews, logs, mock files or error cards."""

import logging

from ciokatana.core.redact import MASK, RedactingFilter, redact, redact_text

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJhY2NvdW50IjoiMSJ9.c2lnbmF0dXJl"


def test_secret_environment_values_are_masked():
    env = {"CONDUCTOR_API_KEY": "abc", "MY_TOKEN": "t", "DB_PASSWORD": "p", "PATH": "/bin", "EMPTY_KEY": ""}
    assert redact({"environment": env})["environment"] == {
        "CONDUCTOR_API_KEY": MASK,
        "MY_TOKEN": MASK,
        "DB_PASSWORD": MASK,
        "PATH": "/bin",
        "EMPTY_KEY": "",
    }


def test_tokens_inside_text_are_masked():
    text = "headers: {'Authorization': 'Bearer %s'} url=/api/oauth_jwt?client_id=a&client_secret=s3cr3t&x=1" % JWT
    out = redact_text(text)
    assert JWT not in out and "s3cr3t" not in out and "client_id=a" in out


def test_private_key_in_json_text():
    out = redact_text('{"client_id": "id", "private_key": "-----BEGIN KEY-----abc"}')
    assert "BEGIN KEY" not in out and '"client_id": "id"' in out


def test_logging_filter_masks_records(caplog):
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.DEBUG, logger="test.redact"):
        logger.debug("headers: %s", {"Authorization": "Bearer " + JWT})
    assert JWT not in caplog.text and MASK in caplog.text


def test_presigned_upload_url_signatures_are_masked():
    text = ("Max retries exceeded with url: /sandbox-storage/hashstore/ab?X-Sandbox-Signature=abcDEF_12 and "
            "https://s3.amazonaws.com/b/k?X-Amz-Credential=AKIA%2F2024&X-Amz-Signature=deadbeef&X-Amz-Expires=60")
    masked = redact_text(text)
    assert "abcDEF_12" not in masked and "deadbeef" not in masked and "AKIA" not in masked
    assert "X-Amz-Expires=60" in masked and "/sandbox-storage/hashstore/ab?" in masked


# -- secret names by whole tokens (a light named KEY_LIGHT is not a secret) --

import json  # noqa: E402

import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ciokatana.core import redact as redact_mod  # noqa: E402
from ciokatana.core.redact import is_secret_name, redact_event, redact_payload, set_secret_values  # noqa: E402


@pytest.mark.parametrize("name", ["API_TOKEN", "DB_PASSWORD", "db_passwd", "CONDUCTOR_API_KEY", "apiKey", "APIKey",
                                  "private_key", "AWS_SECRET_ACCESS_KEY", "Authorization", "GITHUB_AUTH",
                                  "MY_CREDENTIALS", "GITHUBTOKEN", "client_secret", "access_token",
                                  "AUTHORİZATION", "API_\u212aEY", "ſECRET"])
def test_secret_names(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["KEY_LIGHT", "key_light000", "monkey", "SSH_KEY_PATH", "KEYFRAMES", "PWD",
                                  "TOKENIZER_MODE", "AUTHOR", "keys", "PATH", "command", "frames", "turkey_leg"])
def test_plain_names(name):
    assert not is_secret_name(name)


def test_unicode_case_pairs_still_count_as_secret_names():
    assert redact({"AUTHORİZATION": "x", "API_\u212aEY": "y", "ſECRET": "z"}) == {
        "AUTHORİZATION": MASK, "API_\u212aEY": MASK, "ſECRET": MASK}


# -- payloads are masked by their structure ---------------------------------

def _payload(name="key_light000", folder="/shows/monkey"):
    return {
        "job_title": "Katana shot {}".format(name),
        "output_path": folder + "/renders/" + name,
        "environment": {"KEY_LIGHT": "beauty", "API_TOKEN": "tok-123456", "SSH_KEY_PATH": "/home/me/.ssh"},
        "metadata": {"shot": "010", "auth_token": "m-secret-99"},
        "tasks_data": [{"command": "katana --render-node={} -t {}".format(name, i), "frames": str(i)} for i in range(50)],
        "upload_paths": [folder + "/tokens/secret_garden.tx"],
    }


def test_a_payload_masks_only_secret_named_environment_and_metadata():
    payload = _payload()
    out = redact_payload(payload)
    assert out["environment"] == {"KEY_LIGHT": "beauty", "API_TOKEN": MASK, "SSH_KEY_PATH": "/home/me/.ssh"}
    assert out["metadata"] == {"shot": "010", "auth_token": MASK}
    for key in ("job_title", "output_path", "tasks_data", "upload_paths"):
        assert out[key] == payload[key]
    assert out["tasks_data"] is payload["tasks_data"]  # not walked, not copied
    assert payload["environment"]["API_TOKEN"] == "tok-123456"  # the payload itself is untouched


def test_the_configured_key_is_masked_anywhere_in_a_payload(monkeypatch):
    monkeypatch.setenv("CONDUCTOR_API_KEY", json.dumps({"client_id": "client-abc-123", "private_key": "pk-xyz-98765"}))
    payload = _payload(name="client-abc-123")
    text = json.dumps(redact_payload(payload))
    assert "client-abc-123" not in text and MASK in text


node_text = st.lists(st.sampled_from(list("aKeYtOkN_/-. 0é\\\"'") + [
    "key", "token", "secret", "monkey", "KEY_LIGHT", "password", "Bearer ", "eyJ", ": "]), max_size=12).map("".join)


@given(names=st.lists(node_text, min_size=1, max_size=5))
def test_whatever_the_names_say_only_environment_and_metadata_change(names):
    for name in names:
        payload = _payload(name=name, folder="/shows/" + name)
        out = redact_payload(payload)
        assert {k: v for k, v in out.items() if k not in ("environment", "metadata")} == \
            {k: v for k, v in payload.items() if k not in ("environment", "metadata")}


def test_a_progress_event_table_is_searched_for_known_values_only(monkeypatch):
    monkeypatch.setenv("CONDUCTOR_API_KEY", json.dumps({"client_id": "client-abc-123", "private_key": "pk-xyz-98765"}))
    table = {"/shows/monkey/tokens/key_{}.tx".format(i): {"md5": "kEyToKen{}==".format(i), "bytes_uploaded": 1}
             for i in range(100)}
    table["/x/client-abc-123.tx"] = {"md5": "x"}
    raw = {"event": "progress", "data": {"job_title": "t", "file_progress": table, "api_key": "raw-key-1"}}
    out = redact_event(raw)
    assert out["data"]["api_key"] == MASK
    files = out["data"]["file_progress"]
    assert "/shows/monkey/tokens/key_7.tx" in files and files["/shows/monkey/tokens/key_7.tx"]["md5"] == "kEyToKen7=="
    assert "/x/{}.tx".format(MASK) in files


# -- values known by value: every written form, replaced not accumulated ----

@pytest.fixture
def no_values():
    yield
    set_secret_values([])


def test_set_values_are_masked_in_every_form_they_are_written_in(no_values):
    value = 'ab"LEAK\'ONE99\\x'
    set_secret_values([value])
    for text in (value, json.dumps({"V": value}), json.dumps(json.dumps({"V": value})), repr({"V": value}),
                 json.dumps({"V": value}, ensure_ascii=False)):
        assert "LEAK" not in redact_text(text), text


def test_set_values_replace_the_values_given_before(no_values):
    set_secret_values(["first-value-1"])
    set_secret_values(["second-value-2"])
    assert redact_text("first-value-1 second-value-2") == "first-value-1 " + MASK
    assert redact_mod.secret_values() == frozenset(["second-value-2"])


def test_secret_named_pairs_in_text_are_masked_whatever_quotes_the_value_holds():
    text = 'data: {"environment": {"DB_PASSWORD": "ab\\"LEAKONE99", "KEY_LIGHT": "beauty"}}'
    out = redact_text(text)
    assert "LEAKONE99" not in out and '"KEY_LIGHT": "beauty"' in out
    out = redact_text("env: {'API_TOKEN': \"/opt/x'LEAKTWO88\", 'PATH': '/bin'}")
    assert "LEAKTWO88" not in out and "'PATH': '/bin'" in out
    out = redact_text('{\\"API_TOKEN\\": \\"LEAKTHREE77\\"}')  # JSON inside a JSON string
    assert "LEAKTHREE77" not in out


def test_a_running_submission_keeps_its_secrets_masked_after_a_replan(no_values):
    """The dialog replans while a run is live: that run's threads still log its old secret."""
    import threading

    from ciokatana.core.plan import Plan
    from ciokatana.core.runner import Runner, Source

    release = threading.Event()
    started = threading.Event()

    class Waiting(Source):
        def run(self, emit, control):
            started.set()
            release.wait(10)

    old = Plan(snapshot=None, settings=None, assets=None, extra_assets=None, secret_values=["old-secret-123"])
    set_secret_values(old.secret_values)
    source = Waiting()
    source.secret_values = list(old.secret_values)  # what submission.open_source gives a source
    runner = Runner(source).start()
    assert started.wait(5)
    set_secret_values(["new-secret-456"])  # the artist changed the environment and replanned
    assert redact_text("old-secret-123 new-secret-456") == "{} {}".format(MASK, MASK)
    release.set()
    assert runner.wait(5)
    assert redact_text("old-secret-123") == "old-secret-123"  # released with the run
    assert redact_text("new-secret-456") == MASK


def test_open_source_gives_the_run_its_plans_secret_values(no_values, tmp_path):
    from ciokatana.core import submission
    from ciokatana.core.plan import Plan

    plan = Plan(snapshot=None, settings=None, assets=None, extra_assets=None,
                jobs=[], secret_values=["plan-secret-789"])

    class Prepared:
        payloads = [{"job_title": "t", "upload_paths": []}]

    prepared = Prepared()
    prepared.plan = plan
    source, _ = submission.open_source(prepared, submission.SourceSpec())
    assert source.secret_values == ["plan-secret-789"]


def test_payloads_given_alone_carry_the_secret_values_named_for_them(no_values):
    """The dialog and the farm pass payloads: the run holds the values they name, not the latest plan's."""
    from ciokatana.core import submission

    set_secret_values(["latest-plan-secret-1"])
    payloads = [{"job_title": "t", "upload_paths": []}]
    source, _ = submission.open_source(payloads, submission.SourceSpec(), secret_values=["its-own-secret-2"])
    assert source.secret_values == ["its-own-secret-2"]
    source, _ = submission.open_source(payloads, submission.SourceSpec())
    assert source.secret_values == ["latest-plan-secret-1"]


def test_a_new_run_does_not_inherit_the_secrets_another_run_still_holds(no_values):
    """A run without values of its own holds the configured plan's, not every running run's:
    otherwise an old plan's secrets stay held as long as runs keep overlapping."""
    from ciokatana.core import submission
    from ciokatana.core.redact import hold_secret_values, release_secret_values

    token = hold_secret_values(["older-run-secret-3"])  # a run still finishing
    try:
        set_secret_values(["latest-plan-secret-4"])
        source, _ = submission.open_source([{"job_title": "t", "upload_paths": []}], submission.SourceSpec())
        assert source.secret_values == ["latest-plan-secret-4"]
        assert redact_text("older-run-secret-3") == MASK  # still masked while the older run holds it
    finally:
        release_secret_values(token)
    assert redact_text("older-run-secret-3") == "older-run-secret-3"
