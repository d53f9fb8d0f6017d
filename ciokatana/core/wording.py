"""Plain words for the error texts that libraries write for developers.

Layer: core. Python's ``str.format``, urllib3 and requests describe
failures in terms of their own internals ("Single '{' encountered in format
string", "HTTPSConnectionPool(...): Max retries exceeded with url: ...").
:func:`plain_error` rewrites the ones an artist meets into what happened and
what to do, and leaves any other text as it is. The original is kept in
tracebacks and logs; this is only for the sentence shown first.

:func:`failure_cause` does the same for a failed job: ciocore's "Job
Submission failed: Error 500 ...\n{"error": ...}" becomes one line saying
that Conductor did not create the job, why (the HTTP status in words and
the service's own message) and what to do; the raw text stays for "Show
details".
"""

from __future__ import annotations

import json
import re
from typing import Optional, Tuple

_FORMAT = [
    (re.compile(r"Single '\{' encountered in format string"),
     "a '{' has no matching '}' (fields are written like {node}; write {{ for a literal '{')"),
    (re.compile(r"Single '\}' encountered in format string"),
     "a '}' has no matching '{' (fields are written like {node}; write }} for a literal '}')"),
    (re.compile(r"expected '\}' before end of string"),
     "a '{' is never closed (fields are written like {node})"),
    (re.compile(r"unmatched '\{' in format spec"),
     "a '{' is never closed (fields are written like {node})"),
    (re.compile(r"Replacement index \d+ out of range for positional args tuple|tuple index out of range"),
     "'{}' is empty: name a field inside the braces, like {node}"),
]

_HOST = re.compile(r"host='([^']+)'(?:, port=(\d+))?")
_CAUSES = [
    (re.compile(r"Connection refused|ConnectionRefused", re.I), "the connection was refused"),
    (re.compile(r"Name or service not known|nodename nor servname|getaddrinfo failed|NameResolution", re.I),
     "the server name could not be found"),
    (re.compile(r"timed out|ConnectTimeout|ReadTimeout", re.I), "it did not answer in time"),
    (re.compile(r"CERTIFICATE_VERIFY_FAILED|SSLError|SSL:", re.I), "its security certificate was not accepted"),
    (re.compile(r"Network is unreachable", re.I), "the network is unreachable"),
    (re.compile(r"RemoteDisconnected|Connection aborted|Connection reset", re.I), "it closed the connection"),
]
_NETWORK = re.compile(r"Max retries exceeded|HTTPS?ConnectionPool|NewConnectionError|Failed to establish", re.I)


_ADVICE = "check the network connection and CONDUCTOR_URL"


def _network(text: str) -> str:
    cause = next((words for pattern, words in _CAUSES if pattern.search(text)), "the request failed")
    head = re.split(r"\(?HTTPS?ConnectionPool|\(?Max retries", text, maxsplit=1)[0].rstrip(" (:;,")
    if head:  # our own sentence already says what was being reached
        return "{}: {}; {}".format(head, cause, _ADVICE)
    host = _HOST.search(text)
    where = host.group(1) if host else "the server"
    if host and host.group(2) and host.group(2) not in ("80", "443"):
        where += ":" + host.group(2)
    return "could not reach {} ({}); {}".format(where, cause, _ADVICE)


def plain_error(text: str) -> str:
    """``text`` with developer-speak replaced by what happened and what to do."""
    text = str(text or "")
    original = text
    for pattern, words in _FORMAT:
        text = pattern.sub(words, text)
    if _NETWORK.search(text):
        text = _network(text)
    # A mock replay's error must never read as a real outage.
    return _keep_simulated(original, text)


# The marker the mock player puts in every error it simulates (core.mock).
SIMULATED = "(simulated by the mock player)"


_SUBMIT_FAILED = re.compile(r"Job Submission failed:\s*Error\s+(\d{3})\s*(?:\.\.\.)?\s*(.*)", re.S)
# ciocore's other refusals: "Failed to get available projects from Conductor\nError 500 ...\n{body}":
# a line of its own starting "Error NNN" (linear: no pattern spans the text before it).
_CIOCORE_STATUS_LINE = re.compile(r"^[ \t]*Error[ \t]+(\d{3})\b[ \t]*(?:\.\.\.)?", re.M)
_HTTP_ERROR = re.compile(r"\b(\d{3}) (?:Client|Server) Error: (.*?) for url: (\S+)")
_HTTP = {
    400: "it refused the job as invalid",
    401: "it did not accept the API key",
    403: "the account is not allowed to do this",
    404: "it did not find what the job refers to",
    409: "it reported a conflict",
    413: "the job is too big for it",
    429: "it is busy (too many requests)",
    500: "it had an internal error",
    502: "it is unavailable (bad gateway)",
    503: "it is unavailable",
    504: "it did not answer in time (gateway timeout)",
}
_HTTP_ADVICE = {
    401: "check the API key (CONDUCTOR_API_KEY) or log in again",
    403: "check the project and the account's permissions",
    400: "check the job's settings in the Preview tab, or contact Conductor support",
    413: "split the job (fewer frames or files), or contact Conductor support",
}
_DEFAULT_ADVICE = "try again in a moment; if it keeps failing, contact Conductor support"
MAX_CAUSE = 240


def _service_message(body: str) -> str:
    """The service's own words in an error body (``{"error": ...}``), else its first line."""
    body = (body or "").strip()
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("error", "message", "detail", "reason"):
            value = data.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return value["message"].strip()
    return body.splitlines()[0].strip() if body else ""


def _short(text: str) -> str:
    return text if len(text) <= MAX_CAUSE else text[:MAX_CAUSE - 1].rstrip() + "\u2026"


def failure_cause(text: str) -> Tuple[str, str]:
    """``(cause, rest)`` of a job's error text: one plain line first, the remainder for the details.

    ``"Job Submission failed: Error 500 ...\\n{\"error\": \"disk full\"}"`` gives
    ``("Conductor did not create the job: it had an internal error (HTTP 500:
    disk full); try again in a moment; ...", <the original text>)``. Other
    texts give their first line in plain words (:func:`plain_error`) and
    the lines after it.
    """
    text = str(text or "").strip()
    cause, rest = _cause_and_rest(text)
    return _keep_simulated(text, cause), rest


def _keep_simulated(original: str, worded: str) -> str:
    """``worded`` still saying it was simulated when ``original`` did (a mock replay's error)."""
    if SIMULATED in original and SIMULATED not in worded:
        return "{} {}".format(worded, SIMULATED)
    return worded


def _refusal(code: int, body: str) -> str:
    """``it had an internal error (HTTP 500: disk full); try again in a moment; ...``."""
    said = _service_message(body)
    words = _HTTP.get(code, "it answered with an error")
    status = "HTTP {}{}".format(code, ": " + _short(said) if said else "")
    return "{} ({}); {}".format(words, status, _HTTP_ADVICE.get(code, _DEFAULT_ADVICE))


def service_refusal(text: str) -> Optional[Tuple[str, int, str]]:
    """``(what, status, words)`` of ciocore's "WHAT / Error NNN ... / BODY" errors, else None.

    ``"Failed to get available projects from Conductor\\nError 500 ...\\n{\"error\": \"x\"}"``
    gives ``("Failed to get available projects from Conductor", 500,
    "it had an internal error (HTTP 500: x); try again in a moment; ...")``.
    """
    text = str(text or "").strip()
    match = _CIOCORE_STATUS_LINE.search(text)
    if not match or match.start() == 0:
        return None
    before = [line.strip() for line in text[:match.start()].splitlines() if line.strip()]
    if not before:
        return None
    code = int(match.group(1))
    what = re.sub(r"^Exception:\s*", "", before[-1])  # the last line of a traceback
    return what, code, _refusal(code, text[match.end():])


def _cause_and_rest(text: str) -> Tuple[str, str]:
    match = _SUBMIT_FAILED.search(text)
    if match:
        return "Conductor did not create the job: {}".format(_refusal(int(match.group(1)), match.group(2))), text
    match = _HTTP_ERROR.search(text)
    if match:  # requests' "503 Server Error: Service Unavailable for url: /jobs/"
        code, reason, url = int(match.group(1)), match.group(2).strip(), match.group(3)
        what = "Conductor did not create the job" if "/jobs" in url else "Conductor refused a request"
        words = _HTTP.get(code, "it answered with an error")
        advice = _HTTP_ADVICE.get(code, _DEFAULT_ADVICE)
        status = "HTTP {}{}".format(code, ": " + _short(reason) if reason else "")
        return "{}: {} ({}); {}".format(what, words, status, advice), text
    lines = text.splitlines()
    if not lines:
        return "failed, with no reason given", ""
    first = plain_error(lines[0].strip())
    rest = "\n".join(lines[1:]).strip()
    return _short(first), rest
