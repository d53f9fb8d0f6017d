"""Keep credentials out of anything a person or a file sees.

Layer: core. Used by the preview (payload environment), the mock recorder,
error events and cards, and a logging filter installed on ciocore's logger
(ciocore logs request headers, bearer tokens included, at debug level).

What counts as a secret: values of environment variables and mapping keys
whose names contain KEY, TOKEN, SECRET, PASSWORD, PASSWD or CREDENTIAL;
``Bearer <token>`` strings; JWTs; ``client_secret=`` / ``private_key``
fields in URLs or JSON text; the signature of a presigned upload URL.
"""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "********"

_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTHORIZATION)", re.IGNORECASE)
_PATTERNS = [
    (re.compile(r"(Bearer\s+)[A-Za-z0-9\-_.=+/]+", re.IGNORECASE), r"\1" + MASK),
    (re.compile(r"eyJ[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*"), MASK),
    (re.compile(r"((?:client_secret|private_key|access_token|api_key)=)[^&\s'\"]+", re.IGNORECASE), r"\1" + MASK),
    # presigned upload URLs (S3, GCS, the sandbox) carry their signature in the query
    (re.compile(r"((?:[A-Za-z-]*Signature|X-(?:Amz|Goog)-Credential|X-Amz-Security-Token)=)[^&\s'\")]+", re.IGNORECASE),
     r"\1" + MASK),
    (
        re.compile(r"([\"']?(?:client_secret|private_key|access_token|api_key|Authorization)[\"']?\s*[:=]\s*[\"'])[^\"']*", re.IGNORECASE),
        r"\1" + MASK,
    ),
]


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(str(name)))


def redact_text(text: str) -> str:
    """Mask tokens and keys inside free text (messages, tracebacks, logs)."""
    if not isinstance(text, str) or not text:
        return text
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def redact(value: Any) -> Any:
    """A copy of a JSON-like value with secrets masked.

    Mapping entries whose key names a secret are masked whole; every string
    is scanned for tokens.
    """
    if isinstance(value, dict):
        out = type(value)() if type(value) is not dict else {}
        for key, item in value.items():
            if is_secret_name(key) and isinstance(item, (str, int, float)) and item != "":
                out[key] = MASK
            else:
                out[key] = redact(item)
        return out
    if isinstance(value, (list, tuple)):
        return type(value)(redact(v) for v in value)
    if isinstance(value, str):
        return redact_text(value)
    return value


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: leave it to logging
            return True
        record.msg = redact_text(message)
        record.args = ()
        return True


def install_log_redaction(*logger_names: str) -> None:
    """Add a RedactingFilter to the named loggers and to every handler of
    the root logger (filters on loggers do not see records from children)."""
    names = logger_names or ("conductor", "ciocore", "ciokatana")
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
