"""The render task command: a template with quoted values.

Layer: core. The template is ordinary ``str.format`` text with named fields.
Every value is passed through ``shlex.quote`` before it is put in, so no node
name, path or title can inject shell syntax: ``shlex.split`` of a command
always gives back the exact values. The template itself is the artist's (or
the pipeline's) and is trusted, but it is checked for unknown fields and for
quotes around fields, which would break the quoting.
"""

from __future__ import annotations

import re
import shlex
import string
from typing import Callable, Dict, List

FIELDS = {
    "scene": "the Katana file, as a POSIX path (drive letter removed)",
    "node": "the Render node's name",
    "chunk": "the chunk's frames in Katana's -t form (1-5,7,9)",
    "start": "the chunk's first frame",
    "end": "the chunk's last frame",
    "scene_name": "the Katana file's name without folder or extension",
}

_DRIVE = re.compile(r"^[A-Za-z]:(?=[/\\]|$)")


class TemplateError(ValueError):
    """A task template that cannot be used."""


def posix_path(path: str) -> str:
    """A path as Linux render nodes see it: forward slashes, no drive letter.

    ``C:\\shows\\a.katana`` -> ``/shows/a.katana``; ``\\\\server\\share\\a`` ->
    ``//server/share/a``. Nothing else is interpreted (no ``$VAR`` or ``~``
    expansion), so a path comes back with exactly its own characters.
    """
    path = path.replace("\\", "/")
    path = _DRIVE.sub("", path)
    return path or "/"


def template_fields(template: str) -> List[str]:
    """The field names used by a template. Raises TemplateError if the
    template is malformed, uses an unknown field, or quotes a field."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as err:
        raise TemplateError("task template {!r} is malformed: {}".format(template, err))
    names = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in FIELDS:
            raise TemplateError(
                "task template uses unknown field {{{}}}: the fields are {}".format(
                    name, ", ".join("{" + f + "}" for f in FIELDS)
                )
            )
        if spec or conversion:
            raise TemplateError(
                "task template field {{{}}} has a format or conversion; write it plain".format(name)
            )
        names.append(name)
    for match in re.finditer(r"(['\"])\{(\w+)\}|\{(\w+)\}(['\"])", template):
        raise TemplateError(
            "task template puts quotes around {}: remove them, ciokatana quotes every value itself".format(
                match.group(0).strip("'\"")
            )
        )
    if not names:
        raise TemplateError("task template has no fields: it must at least use {node} and {chunk}")
    return names


def render_command(template: str, values: Dict[str, object]) -> str:
    """Fill a template; each value is shell-quoted."""
    template_fields(template)
    quoted = {key: shlex.quote(str(value)) for key, value in values.items()}
    return template.format(**quoted)


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


TASK_VARIABLES = ("chunk", "start", "end")


def bind_command(template: str, constants: Dict[str, object]) -> Callable[[object, object, object], str]:
    """Check a template once and fill in the values that do not change
    between tasks (scene, node, scene_name); return ``render(chunk, start,
    end)`` for the rest.

    ``render(c, s, e)`` equals ``render_command(template, dict(constants,
    chunk=c, start=s, end=e))``, with the template parsed and the constants
    quoted once per job instead of once per task.

    Raises TemplateError like :func:`template_fields`.
    """
    template_fields(template)
    pieces = []
    used = set()
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        pieces.append(_escape(literal))
        if name is None:
            continue
        if name in TASK_VARIABLES:
            pieces.append("{%d}" % TASK_VARIABLES.index(name))
            used.add(name)
        else:
            pieces.append(_escape(shlex.quote(str(constants[name]))))
    fmt = "".join(pieces).format
    quote = shlex.quote
    use_chunk, use_start, use_end = (name in used for name in TASK_VARIABLES)

    def render(chunk, start, end) -> str:
        return fmt(
            quote(str(chunk)) if use_chunk else "",
            quote(str(start)) if use_start else "",
            quote(str(end)) if use_end else "",
        )

    return render
