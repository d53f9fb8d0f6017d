"""Text made safe to print on a terminal.

Layer: core. Job titles, node names, file paths and error messages can come
from a scene, a service or a mock file written by anyone; printed raw, an
escape sequence in one (``\\x1b[2J``, ``\\x1b]0;...``) would clear the
screen, retitle the window or hide what follows, and a bidi override would
reorder it. :func:`printable` writes every such character as a visible
escape (``\\x1b``) instead, keeping line breaks and tabs.
"""

from __future__ import annotations

import logging
import re

# C0 controls but \t and \n, DEL, C1 controls, the bidi embedding,
# override and isolate characters, and lone surrogates (not text: a stream
# refuses to encode them, so one in a node name would crash the print).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match) -> str:
    char = match.group(0)
    code = ord(char)
    return "\\x{:02x}".format(code) if code < 0x100 else "\\u{:04x}".format(code)


def printable(text) -> str:
    """text with every control or reordering character shown as an escape."""
    text = str(text)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


# JSON escapes C0 controls itself; these it leaves raw when not ASCII-only.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def json_printable(text: str) -> str:
    """JSON text with DEL, C1 controls, bidi characters and lone surrogates
    written as ``\\uXXXX`` escapes: the same JSON value, safe on a terminal."""
    if text.isascii() or not _JSON_UNSAFE.search(text):  # isascii: C speed on 28 MB
        return text
    return _JSON_UNSAFE.sub(lambda m: "\\u{:04x}".format(ord(m.group(0))), text)


class PrintableFormatter(logging.Formatter):
    """A logging formatter whose lines pass through :func:`printable`: a
    node name with an escape sequence in a ``--debug`` log line is shown,
    not obeyed."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))
