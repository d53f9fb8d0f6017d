"""Keep credentials out of anything a person or a file sees.

Layer: core. Used by the preview (the payload), the mock recorder (every
recorded event), mock replay (every event read, once), error events and
cards, and the log masking that :func:`install_log_redaction` installs.
That function is called by every entry point where ciocore can run in this
process: the command line (every subcommand, ``ciokatana gui`` included),
the dialog, Katana's menus and ``ciokatana.katana.batch``. It masks every
log record of the loggers ciocore, requests and urllib3 write to
(``conductor``, ``ciocore``, ``urllib3``, ``requests``, and ciokatana's
own), whatever handler prints it: ciocore logs request headers, the job's
environment and error bodies at debug level.

What counts as a secret:

- values of environment variables and mapping keys whose names contain
  KEY, TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL or AUTHORIZATION (also
  inside text, where such a key is written ``'NAME': 'value'``);
- ``Bearer <token>`` strings; JWTs; ``client_secret=`` / ``private_key``
  fields in URLs or JSON text; the signature of a presigned upload URL
  (ciocore's upload errors and logs quote the URL);
- by value, wherever it appears and however it is written around: the
  configured Conductor API key (``CONDUCTOR_API_KEY`` or the file
  ``CONDUCTOR_API_KEY_PATH`` names: the raw key, its client id and private
  key) and any value :func:`register_secret` was given (the planner
  registers the values of secret-named environment variables). Values
  shorter than ``MIN_SECRET_LENGTH`` are masked by name only, so a secret
  "1" never masks every 1.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import re
import threading
from typing import Any, FrozenSet, Iterable, Tuple

MASK = "********"
MIN_SECRET_LENGTH = 6
FAMILY = ("conductor", "ciocore", "urllib3", "requests", "ciokatana")

_SECRET_WORDS = r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTHORIZATION"
_SECRET_NAME = re.compile(r"(" + _SECRET_WORDS + r")", re.IGNORECASE)
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
    # 'API_TOKEN': 'x' in a logged dict, "DB_PASSWORD": "x" in logged JSON
    (
        re.compile(r"([\"'][^\"'\s]*(?:" + _SECRET_WORDS + r")[^\"'\s]*[\"']\s*:\s*[\"'])[^\"']*", re.IGNORECASE),
        r"\1" + MASK,
    ),
]

# Every string that one of the rules above changes contains one of these
# words (case-insensitively) or a registered value: a quick test that a
# large value needs no masking.
_TRIGGER = re.compile(r"KEY|TOKEN|SECRET|PASSW(?:OR)?D|CREDENTIAL|AUTHORIZATION|BEARER|EYJ", re.IGNORECASE)
_TRIGGER_WORDS = ("key", "token", "secret", "passwd", "password", "credential", "authorization", "bearer", "eyj")
_QUICK_CHECK_SIZE = 32

_LOCK = threading.Lock()
_REGISTERED: FrozenSet[str] = frozenset()
_CONFIGURED: Tuple[Tuple[str, str], FrozenSet[str]] = (("", ""), frozenset())


# -- secrets known by value -------------------------------------------------

def register_secret(value: Any) -> None:
    """Mask this value wherever it appears from now on (process-wide).
    Values shorter than MIN_SECRET_LENGTH are ignored."""
    global _REGISTERED
    text = str(value or "")
    if len(text) < MIN_SECRET_LENGTH or text in _REGISTERED:
        return
    with _LOCK:
        _REGISTERED = _REGISTERED | {text}


def _key_values(raw: str) -> Iterable[str]:
    """The raw API key text and the strings inside it (client id, private
    key), whether the key is JSON or base64-encoded JSON (as ciocore reads
    it)."""
    raw = raw.strip()
    if not raw:
        return []
    found = [raw]
    decoded = None
    try:
        decoded = json.loads(raw.replace("\n", "").replace("\r", ""))
    except ValueError:
        try:
            decoded = json.loads(base64.b64decode(raw).decode("utf-8"))
        except (ValueError, binascii.Error, UnicodeDecodeError):
            decoded = None
    if isinstance(decoded, dict):
        for name in ("client_id", "private_key", "client_secret", "api_key"):
            item = decoded.get(name)
            if isinstance(item, str):
                found.append(item)
                found.extend(line.strip() for line in item.splitlines())
    return [v for v in found if len(v) >= MIN_SECRET_LENGTH]


def _configured_secrets() -> FrozenSet[str]:
    """The configured API key's values; re-read only when the variables
    that name it change (the sandbox sets them mid-run)."""
    global _CONFIGURED
    env_key = os.environ.get("CONDUCTOR_API_KEY", "")
    key_path = os.environ.get("CONDUCTOR_API_KEY_PATH", "")
    if (env_key, key_path) == _CONFIGURED[0]:
        return _CONFIGURED[1]
    values = set(_key_values(env_key))
    if key_path:
        try:
            with open(key_path, "r", encoding="utf-8") as handle:
                values.update(_key_values(handle.read()))
        except (OSError, UnicodeDecodeError):
            pass
    _CONFIGURED = ((env_key, key_path), frozenset(values))
    return _CONFIGURED[1]


def known_secrets() -> FrozenSet[str]:
    """Every value masked by value: registered ones and the configured key's."""
    return _REGISTERED | _configured_secrets()


# -- masking ----------------------------------------------------------------

def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(str(name)))


def _may_hold_secret(text: str, values: FrozenSet[str]) -> bool:
    """Whether text contains a trigger word or a known value. ASCII text is
    lowered and searched word by word (C speed); other text goes through
    the regex, whose case-insensitive match knows Unicode's extra case
    pairs."""
    if any(value in text for value in values):
        return True
    if text.isascii():
        low = text.lower()
        return any(word in low for word in _TRIGGER_WORDS)
    return _TRIGGER.search(text) is not None


def _needs_no_masking(value: Any, values: FrozenSet[str]) -> bool:
    """True when no string in value (keys included) could be masked.

    The value is written as JSON once (C speed) and searched for the trigger
    words and known values; JSON escapes only quotes, backslashes and
    control characters, none of which is part of a trigger word, so a clean
    text means clean strings. A known value holding such a character may
    be missed by the search, so the walk is used whenever one exists.
    Values JSON cannot write are walked too.
    """
    if any(_ESCAPED.search(v) for v in values):
        return False
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return False
    return not _may_hold_secret(text, values)


_ESCAPED = re.compile(r"[\"\\\x00-\x1f]")


def _mask_text(text: str, values: FrozenSet[str]) -> str:
    for value in sorted(values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def redact_text(text: str) -> str:
    """Mask tokens and keys inside free text (messages, tracebacks, logs)."""
    if not isinstance(text, str) or not text:
        return text
    return _mask_text(text, known_secrets())


def redact(value: Any) -> Any:
    """A copy of a JSON-like value with secrets masked.

    Mapping entries whose key names a secret are masked whole; every string
    is scanned for tokens and known values. A large list or mapping in which
    nothing needs masking is returned as it is, not copied (treat the result
    as read-only): a preview of 200 jobs x 1,000 tasks is not walked string
    by string.
    """
    return _redact(value, known_secrets())


def _redact(value: Any, values: FrozenSet[str]) -> Any:
    if isinstance(value, (dict, list)) and len(value) >= _QUICK_CHECK_SIZE and _needs_no_masking(value, values):
        return value
    if isinstance(value, dict):
        out = type(value)() if type(value) is not dict else {}
        for key, item in value.items():
            if is_secret_name(key) and isinstance(item, (str, int, float)) and item != "":
                out[key] = MASK
            else:
                out[key] = _redact(item, values)
        return out
    if isinstance(value, (list, tuple)):
        return type(value)(_redact(v, values) for v in value)
    if isinstance(value, str):
        return _mask_text(value, values) if value else value
    return value


# -- logging ----------------------------------------------------------------

class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        _mask_record(record)
        return True


def _mask_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: leave it to logging
        return
    record.msg = redact_text(message)
    record.args = ()
    if record.exc_info and not record.exc_text:
        record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        record.exc_text = redact_text(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_text(record.stack_info)


def in_family(name: str) -> bool:
    """Whether a logger belongs to ciocore, requests, urllib3 or ciokatana."""
    return any(name == root or name.startswith(root + ".") for root in FAMILY)


_INSTALLED = [False]


def install_log_redaction(*logger_names: str) -> None:
    """Mask every log record of ciocore, requests, urllib3 and ciokatana.

    Records are masked when they are created (a wrapper around logging's
    record factory), so no handler, present or added later, ciocore's own
    included, ever sees an unmasked one; other loggers' records are left
    alone. Safe to call any number of times, from any entry point. Also
    adds a :class:`RedactingFilter` to the named loggers (default: the
    family) and to the root logger's handlers, for records made before.
    """
    with _LOCK:
        if not _INSTALLED[0]:
            previous = logging.getLogRecordFactory()

            def factory(*args, **kwargs):
                record = previous(*args, **kwargs)
                if in_family(record.name):
                    _mask_record(record)
                return record

            logging.setLogRecordFactory(factory)
            _INSTALLED[0] = True
    names = logger_names or FAMILY
    for name in names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
