"""What the artist reads when fetching projects, machines and software from Conductor fails."""

import pytest

from ciokatana.core import conductor
from ciokatana.core.wording import service_refusal


def _fetch_error():
    with pytest.raises(conductor.ConductorError) as info:
        conductor.fetch(force=True)
    return str(info.value)


def test_a_refused_fetch_says_the_status_and_the_services_words(ciocore_sandbox):
    ciocore_sandbox.faults.add("projects", status=500, times=1)
    text = _fetch_error()
    assert text.startswith("Conductor at {}: failed to get available projects".format(ciocore_sandbox.url))
    assert "it had an internal error (HTTP 500: Injected fault (ciokatana sandbox))" in text
    assert "try again in a moment" in text
    assert "Exception" not in text and "\n" not in text and "..." not in text


def test_a_refused_key_while_fetching_points_at_the_credentials(ciocore_sandbox):
    ciocore_sandbox.faults.add("projects", status=401, times=1)
    text = _fetch_error()
    assert text.startswith("Conductor at {} refused the credentials".format(ciocore_sandbox.url))
    assert "HTTP 401" in text and "CONDUCTOR_API_KEY" in text


def test_only_ciocore_shaped_refusals_are_parsed():
    assert service_refusal("Failed to get available projects from Conductor\nError 503 ...\n<html>x</html>") == (
        "Failed to get available projects from Conductor", 503,
        "it is unavailable (HTTP 503: <html>x</html>); try again in a moment; if it keeps failing, contact "
        "Conductor support")
    assert service_refusal("Error 500 in one line") is None
    assert service_refusal("Connection refused") is None
    assert service_refusal("Something\nError 9999 boom") is None
    traceback = "Traceback (most recent call last):\n  File x\nException: Failed to get packages\nError 403 ...\n{}"
    assert service_refusal(traceback)[:2] == ("Failed to get packages", 403)


def test_a_refused_fetch_with_a_huge_padded_body_is_worded_at_once():
    """A proxy's page of blank lines must not keep the connect worker busy for minutes."""
    import time

    started = time.perf_counter()
    assert service_refusal("Failed to get x" + "\n" * 100000 + "boom") is None
    assert service_refusal("Failed" + " \n" * 50000 + "Error 502 ...\nbad gateway")[1] == 502
    assert time.perf_counter() - started < 5  # was minutes: the old pattern backtracked cubically


def test_a_forbidden_fetch_is_about_permissions_not_the_key(ciocore_sandbox):
    ciocore_sandbox.faults.add("projects", status=403, times=1)
    text = _fetch_error()
    assert "the account is not allowed to do this (HTTP 403" in text and "refused the credentials" not in text
