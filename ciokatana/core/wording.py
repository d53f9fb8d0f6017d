"""Plain words for the error texts that libraries write for developers.

Layer: core. Python's ``str.format``, urllib3 and requests describe
failures in terms of their own internals ("Single '{' encountered in format
string", "HTTPSConnectionPool(...): Max retries exceeded with url: ...").
:func:`plain_error` rewrites the ones an artist meets into what happened and
what to do, and leaves any other text as it is. The original is kept in
tracebacks and logs; this is only for the sentence shown first.
"""

from __future__ import annotations

import re

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
    for pattern, words in _FORMAT:
        text = pattern.sub(words, text)
    if _NETWORK.search(text):
        return _network(text)
    return text
