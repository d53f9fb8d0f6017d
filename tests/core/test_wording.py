"""Plain words for errors an artist reads on a job's card."""

from ciokatana.core.wording import failure_cause, plain_error

CIOCORE_500 = 'Job Submission failed: Error 500 ...\n{"error": "Injected fault (ciokatana sandbox)"}'


def test_a_refused_job_says_conductor_did_not_create_it_and_why():
    cause, rest = failure_cause(CIOCORE_500)
    assert cause.startswith("Conductor did not create the job: it had an internal error")
    assert "(HTTP 500: Injected fault (ciokatana sandbox))" in cause
    assert "try again" in cause
    assert "{" not in cause and "..." not in cause and "\n" not in cause
    assert rest == CIOCORE_500  # the raw answer stays for Show details


def test_each_status_in_words_with_what_to_do():
    cause, _rest = failure_cause('Job Submission failed: Error 401 ...\n{"message": "bad key"}')
    assert "did not accept the API key (HTTP 401: bad key)" in cause and "CONDUCTOR_API_KEY" in cause
    cause, _rest = failure_cause("Job Submission failed: Error 503 ...\n<html>Service Unavailable</html>")
    assert "it is unavailable (HTTP 503: <html>Service Unavailable</html>)" in cause
    cause, _rest = failure_cause("Job Submission failed: Error 418 ...\n")
    assert "it answered with an error (HTTP 418)" in cause


def test_other_errors_give_their_first_line_in_plain_words():
    text = "HTTPSConnectionPool(host='api.example.com', port=8443): Max retries exceeded\nTraceback..."
    cause, rest = failure_cause(text)
    assert cause == plain_error(text.splitlines()[0])
    assert cause.startswith("could not reach api.example.com:8443")
    assert rest == "Traceback..."
    assert failure_cause("")[0] == "failed, with no reason given"
    long = "x" * 1000
    assert len(failure_cause(long)[0]) <= 240


def test_requests_http_errors_say_which_request_and_why():
    cause, rest = failure_cause("503 Server Error: Service Unavailable for url: https://x/jobs/ (simulated)")
    assert cause.startswith("Conductor did not create the job: it is unavailable (HTTP 503: Service Unavailable)")
    cause, _rest = failure_cause("403 Client Error: Forbidden for url: https://x/api/v2/files/get_upload_urls")
    assert cause.startswith("Conductor refused a request: the account is not allowed to do this (HTTP 403")


def test_every_simulated_mock_error_still_says_it_was_simulated():
    """A replay's "raise an error" must never read as a real Conductor outage."""
    from ciokatana.core.mock import SIMULATED_ERRORS

    for kind, message in SIMULATED_ERRORS:
        worded = plain_error("{}: {}".format(kind, message))
        assert worded.endswith("(simulated by the mock player)"), (kind, worded)
        cause, _ = failure_cause("{}: {}".format(kind, message))  # what an error card shows
        assert cause.endswith("(simulated by the mock player)"), (kind, cause)
    assert plain_error("503 Server Error: Service Unavailable for url: /jobs/").count("simulated") == 0
