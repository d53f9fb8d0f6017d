"""Keep credentials out of anything a person or a file sees.

Layer: core. Used by the preview (:func:`redact_payload`), the mock
recorder and mock replay (:func:`redact_event`: every recorded event, and
every replayed event once, as it is read), error events and cards
(:func:`redact_text`), and the log masking that
:func:`install_log_redaction` installs. That function is called by every
entry point where ciocore can run in this process: the command line (every
subcommand, ``ciokatana gui`` included), the dialog, Katana's menus and
``ciokatana.katana.batch``. It masks every log record of the loggers
ciocore, requests and urllib3 write to (``conductor``, ``ciocore``,
``urllib3``, ``requests``, and ciokatana's own), whatever handler prints
it: ciocore logs request headers, the job's environment and error bodies at
debug level.

What counts as a secret:

- a *secret name* (:func:`is_secret_name`), by whole name tokens: a name
  with a token TOKEN, SECRET, PASSWORD, PASSWD, PASSPHRASE, CREDENTIAL(S),
  AUTH or AUTHORIZATION (or a word ending in TOKEN, SECRET, PASSWORD,
  PASSWD), or the pairs API_KEY, PRIVATE_KEY, ACCESS_KEY, SECRET_KEY,
  SIGNING_KEY, ENCRYPTION_KEY (``apiKey`` and ``APIKEY`` too). KEY alone
  is not one: ``KEY_LIGHT``, ``SSH_KEY_PATH`` and ``monkey`` are plain
  names. The value of an environment variable, mapping entry or quoted
  ``'NAME': 'value'`` pair in text with a secret name is masked;
- ``Bearer <token>`` strings; JWTs; ``client_secret=`` / ``private_key=``
  fields in URLs; the signature of a presigned upload URL (ciocore's
  upload errors and logs quote the URL);
- by value, wherever it appears and in every form it is written in (raw,
  JSON-escaped, JSON-escaped twice, Python-repr-quoted): the configured
  Conductor API key (``CONDUCTOR_API_KEY`` or the file
  ``CONDUCTOR_API_KEY_PATH`` names: the raw key, its client id and private
  key), and the values :func:`set_secret_values` was last given (the
  planner gives the values of secret-named environment variables of the
  current plan, except values that are also a plain part of the payload:
  a node name is never masked). The set is replaced, never added to, so a
  value typed and changed in the dialog is not masked for the rest of the
  session. Values shorter than ``MIN_SECRET_LENGTH`` are masked by name
  only, so a secret "1" never masks every 1.

Cost: a payload is masked by its structure (:func:`redact_payload`): only
``environment`` and ``metadata`` can hold a secret by name, and the rest is
searched in one pass of C code for the key material, so masking costs the
same whatever the node names or paths contain. Events likewise
(:func:`redact_event`): the per-file table of a progress event is only
searched for known values.
"""

from __future__ import annotations

import base64
import binascii
import functools
import itertools
import json
import logging
import os
import re
import threading
import unicodedata
from typing import Any, Dict, FrozenSet, Iterable, List, Tuple

MASK = "********"
MIN_SECRET_LENGTH = 6
FAMILY = ("conductor", "ciocore", "urllib3", "requests", "ciokatana")

# -- secret names -----------------------------------------------------------

_SECRET_TOKENS = frozenset({
    "TOKEN", "TOKENS", "SECRET", "SECRETS", "PASSWORD", "PASSWORDS", "PASSWD", "PASSPHRASE",
    "CREDENTIAL", "CREDENTIALS", "AUTH", "AUTHORIZATION", "APIKEY", "PRIVATEKEY", "ACCESSKEY", "SECRETKEY",
})
_SECRET_ENDINGS = ("TOKEN", "TOKENS", "SECRET", "SECRETS", "PASSWORD", "PASSWORDS", "PASSWD", "APIKEY")
_KEY_QUALIFIERS = frozenset({"API", "PRIVATE", "ACCESS", "SECRET", "SIGNING", "ENCRYPTION"})
_CHUNKS = re.compile(r"[^\W_]+")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _secret_words(words: List[str]) -> bool:
    for index, word in enumerate(words):
        if word in _SECRET_TOKENS or (len(word) > 6 and word.endswith(_SECRET_ENDINGS)):
            return True
        if word in ("KEY", "KEYS") and index > 0 and words[index - 1] in _KEY_QUALIFIERS:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def is_secret_name(name: Any) -> bool:
    """Whether a variable or key name names a secret, by whole tokens (see
    the module's doc): ``DB_PASSWORD``, ``API_TOKEN``, ``apiKey``,
    ``Authorization`` are; ``KEY_LIGHT``, ``SSH_KEY_PATH``, ``monkey``,
    ``PWD`` are not."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c))
    chunks = _CHUNKS.findall(text)
    if _secret_words([c.upper() for c in chunks]):
        return True
    camel = [w.upper() for c in chunks for w in (_CAMEL.findall(c) if c.isascii() else [c])]
    return _secret_words(camel)


# -- secrets known by value -------------------------------------------------

_LOCK = threading.Lock()
_VALUES: FrozenSet[str] = frozenset()          # set_secret_values: raw values
_CONFIGURED: Tuple[Tuple[str, str], FrozenSet[str]] = (("", ""), frozenset())
_FORMS_CACHE: List[Any] = [None, ()]            # [(values, key forms), forms sorted longest first]


def _forms(value: str) -> List[str]:
    """Every way a value is written in text: raw, JSON-escaped (ASCII or
    not, once or twice: JSON inside a JSON string), repr-quoted."""
    forms = {value}
    for ascii_only in (True, False):
        once = json.dumps(value, ensure_ascii=ascii_only)[1:-1]
        forms.add(once)
        forms.add(json.dumps(once, ensure_ascii=ascii_only)[1:-1])
    forms.add(repr(value)[1:-1])
    return [f for f in forms if len(f) >= MIN_SECRET_LENGTH]


def _accepted(values: Iterable[Any]) -> FrozenSet[str]:
    """The values worth masking: as text, at least MIN_SECRET_LENGTH long."""
    return frozenset(str(v) for v in values if v is not None and len(str(v)) >= MIN_SECRET_LENGTH)


def set_secret_values(values: Iterable[Any]) -> None:
    """Mask exactly these values by value from now on (process-wide),
    replacing the values given before: the planner calls it with the
    secret values of the plan now configured. Values shorter than
    MIN_SECRET_LENGTH are left out."""
    global _VALUES
    found = _accepted(values)
    with _LOCK:
        _VALUES = found


def configured_secret_values() -> FrozenSet[str]:
    """The values :func:`set_secret_values` was last given (what a new run holds by default)."""
    return _VALUES


def secret_values() -> FrozenSet[str]:
    """The values masked by value: those :func:`set_secret_values` was
    last given, and those of every run still holding its own."""
    held = _HELD
    if not held:
        return _VALUES
    return _VALUES.union(*held.values())


_HELD: Dict[int, FrozenSet[str]] = {}
_HOLDS = itertools.count(1)


def hold_secret_values(values: Iterable[Any]) -> int:
    """Keep masking ``values`` until :func:`release_secret_values` is given
    the token returned, whatever plans are made meanwhile: a submission
    still running (or its threads still logging) masks its plan's secrets
    even after the artist replans with other ones."""
    global _HELD
    found = _accepted(values)
    token = next(_HOLDS)
    with _LOCK:
        held = dict(_HELD)
        held[token] = found
        _HELD = held
    return token


def release_secret_values(token: int) -> None:
    """Stop holding the values of :func:`hold_secret_values`'s ``token``."""
    global _HELD
    with _LOCK:
        held = dict(_HELD)
        held.pop(token, None)
        _HELD = held


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


def key_material() -> FrozenSet[str]:
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
                values.update(_key_values(handle.read(1 << 20)))
        except (OSError, UnicodeDecodeError):
            pass
    _CONFIGURED = ((env_key, key_path), frozenset(values))
    return _CONFIGURED[1]


def known_secrets() -> FrozenSet[str]:
    """Every value masked by value: the configured key's and the set ones."""
    return secret_values() | key_material()


def _known_forms(key_only: bool = False) -> Tuple[str, ...]:
    """The written forms of the known values, longest first (cached)."""
    key = key_material()
    values = (frozenset() if key_only else secret_values(), key)
    cached = _FORMS_CACHE[0]
    if cached is not None and cached[0] == values:
        return cached[1]
    forms = set()
    for value in values[0] | values[1]:
        forms.update(_forms(value))
    result = tuple(sorted(forms, key=len, reverse=True))
    _FORMS_CACHE[0] = (values, result)
    return result


# -- masking text -----------------------------------------------------------

_PATTERNS = [
    (re.compile(r"(Bearer\s+)[A-Za-z0-9\-_.=+/]+", re.IGNORECASE), r"\1" + MASK),
    (re.compile(r"eyJ[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*"), MASK),
    (re.compile(r"((?:client_secret|private_key|access_token|api_key)=)[^&\s'\"]+", re.IGNORECASE), r"\1" + MASK),
    # presigned upload URLs (S3, GCS, the sandbox) carry their signature in the query
    (re.compile(r"((?:[A-Za-z-]*Signature|X-(?:Amz|Goog)-Credential|X-Amz-Security-Token)=)[^&\s'\")]+", re.IGNORECASE),
     r"\1" + MASK),
]
# A quoted name, ':' or '=', then a quoted value: 'API_TOKEN': 'x' in a
# logged dict, "DB_PASSWORD": "x" in logged JSON, {\"K\": \"v\"} in JSON
# inside a JSON string. The value may hold escaped quotes, or the other
# quote (repr writes "a'b"); a value cut off at the end of a line is
# masked to the end. The name must contain a word a secret name is made
# of (C-speed prefilter); is_secret_name decides.
_PAIR = re.compile(
    r"(?P<nq>\\?[\"'])(?P<name>[^\"'\\\s]{0,200}?(?:TOKEN|SECRET|PASSW|PASSPHRASE|CREDENTIAL|AUTH|KEY)[^\"'\\\s]{0,200})"
    r"(?P=nq)\s*[:=]\s*"
    r"(?:(?P<eq>\\[\"'])(?P<evalue>.*?)(?:(?P=eq)|$)|(?P<vq>[\"'])(?P<value>(?:\\.|(?!(?P=vq))[^\\\n])*)(?:(?P=vq)|$))",
    re.IGNORECASE | re.MULTILINE,
)


def _pair_repl(match) -> str:
    if not is_secret_name(match.group("name")):
        return match.group(0)
    if match.group("eq") is not None:
        if not match.group("evalue"):
            return match.group(0)
        start, end = match.span("evalue")
    else:
        if not match.group("value"):
            return match.group(0)
        start, end = match.span("value")
    whole = match.start()
    text = match.group(0)
    return text[: start - whole] + MASK + text[end - whole:]


def _mask_text(text: str, forms: Tuple[str, ...]) -> str:
    for form in forms:
        if form in text:
            text = text.replace(form, MASK)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return _PAIR.sub(_pair_repl, text)


def redact_text(text: str) -> str:
    """Mask tokens, secret-named quoted pairs and known values inside free
    text (messages, tracebacks, logs)."""
    if not isinstance(text, str) or not text:
        return text
    return _mask_text(text, _known_forms())


# -- masking values ---------------------------------------------------------

def redact(value: Any) -> Any:
    """A copy of a JSON-like value with secrets masked: mapping entries
    whose key is a secret name are masked whole, and every string is masked
    as :func:`redact_text` masks it. It walks every string: for payloads
    and events use :func:`redact_payload` and :func:`redact_event`, whose
    cost does not depend on what the strings say."""
    return _redact(value, _known_forms())


def _redact(value: Any, forms: Tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        out = type(value)() if type(value) is not dict else {}
        for key, item in value.items():
            if is_secret_name(key) and isinstance(item, (str, int, float)) and item != "":
                out[key] = MASK
            else:
                out[key] = _redact(item, forms)
        return out
    if isinstance(value, (list, tuple)):
        return type(value)(_redact(v, forms) for v in value)
    if isinstance(value, str):
        return _mask_text(value, forms) if value else value
    return value


def _mask_values_only(value: Any, forms: Tuple[str, ...]) -> Any:
    """value with the known values masked wherever they are: one search of
    its JSON text (C speed); walked only when one is there."""
    if not forms:
        return value
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return _replace_values(value, forms)
    if not any(form in text for form in forms):
        return value
    return _replace_values(value, forms)


def _replace_values(value: Any, forms: Tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        out = type(value)() if type(value) is not dict else {}
        for key, item in value.items():
            out[_replace_values(key, forms) if isinstance(key, str) else key] = _replace_values(item, forms)
        return out
    if isinstance(value, (list, tuple)):
        return type(value)(_replace_values(v, forms) for v in value)
    if isinstance(value, str):
        for form in forms:
            if form in value:
                value = value.replace(form, MASK)
    return value


def redact_payload(payload: Any) -> Any:
    """A copy of a Conductor job payload, fit to show: the values of
    secret-named ``environment`` variables and ``metadata`` entries are
    masked, their other values are masked as text (:func:`redact_text`),
    and the configured API key is masked wherever it appears. Nothing else is walked string by
    string, so node names, paths and commands are shown as they are (a
    node ``key_light`` or a folder ``/shows/monkey`` costs nothing extra).
    Do not change the result: parts of it are the payload's own."""
    if not isinstance(payload, dict):
        return redact(payload)
    out = type(payload)() if type(payload) is not dict else {}
    out.update(payload)
    for key in ("environment", "metadata"):
        if key in payload:
            out[key] = redact(payload[key])
    return _mask_values_only(out, _known_forms(key_only=True))


def redact_event(raw: Any) -> Any:
    """A copy of a wire event (``{"event", "data"}``) with secrets masked.

    Every field is masked as :func:`redact` masks it, except a progress
    event's ``file_progress`` table (paths and md5s, tens of thousands of
    entries), which is only searched for known values: md5s and paths full
    of letters cost no more than any others."""
    if not isinstance(raw, dict) or not isinstance(raw.get("data"), dict):
        return redact(raw)
    forms = _known_forms()
    out = type(raw)() if type(raw) is not dict else {}
    for key, item in raw.items():
        if key != "data":
            out[key] = _redact(item, forms)
    data = {}
    for key, item in raw["data"].items():
        if key == "file_progress" and isinstance(item, dict):
            data[key] = _mask_values_only(item, forms)
        elif is_secret_name(key) and isinstance(item, (str, int, float)) and item != "":
            data[key] = MASK
        else:
            data[key] = _redact(item, forms)
    out["data"] = data
    return out


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
