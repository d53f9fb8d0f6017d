"""A small JSON Schema checker, driven by the schema files ciokatana ships.

Layer: core (stdlib only, so it installs on Katana 4's Python 3.7 with no
new dependency). It understands the part of JSON Schema (2020-12) that
``ciokatana/core/schemas/*.schema.json`` uses: ``type`` (one or a list),
``properties``, ``required``, ``additionalProperties``, ``items``,
``enum``, ``minimum``, ``maximum``, ``minLength``, ``pattern``, ``anyOf``
and local ``$ref`` (``#/$defs/NAME``); annotations (``title``,
``description``, ``$schema``, ``$id``, ``default``) are ignored, and a
keyword it does not know is refused when the schema loads, so the checker
never silently skips a rule.

Two deliberate differences from the standard, both stricter: a number must
be finite (Python's ``json`` reads ``NaN``, ``Infinity`` and ``1e400``,
which JSON itself does not allow), and ``true``/``false`` are never numbers.

Errors name the exact key (``render_nodes[2].farm_settings.conductorOverrides``)
and say what was found and what is expected.
"""

from __future__ import annotations

import json
import math
import pkgutil
import re
from typing import Any, Dict, List, Optional

KNOWN = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "minimum", "maximum",
    "minLength", "pattern", "anyOf", "$ref", "$defs", "title", "description", "$schema", "$id", "default",
}
MAX_DEPTH = 64

_EXPECTED = {
    "object": "an object ({...})",
    "array": "a list ([...])",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


class SchemaError(ValueError):
    """A value that does not match the schema. ``path`` is the key."""

    def __init__(self, path: str, message: str, expected: str = ""):
        super().__init__("{} {}".format(path, message) if path else message)
        self.path = path
        self.message = message
        self.expected = expected  # set for a wrong type: what would do


def load_schema(name: str) -> Dict[str, Any]:
    """A schema shipped in ``ciokatana/core/schemas`` (``scene`` ->
    ``scene.schema.json``), checked for keywords this module knows."""
    raw = pkgutil.get_data("ciokatana.core.schemas", "{}.schema.json".format(name))
    if raw is None:  # pragma: no cover - a broken install
        raise FileNotFoundError("schema {!r} is not installed".format(name))
    schema = json.loads(raw.decode("utf-8"))
    _check_keywords(schema, "#")
    return schema


def _check_keywords(node: Any, where: str) -> None:
    if not isinstance(node, dict):
        return
    unknown = set(node) - KNOWN
    if unknown:
        raise ValueError("schema {} uses unsupported keyword(s): {}".format(where, ", ".join(sorted(unknown))))
    for key in ("properties", "$defs"):
        for name, sub in (node.get(key) or {}).items():
            _check_keywords(sub, "{}/{}/{}".format(where, key, name))
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            _check_keywords(node[key], "{}/{}".format(where, key))
    for index, sub in enumerate(node.get("anyOf") or []):
        _check_keywords(sub, "{}/anyOf/{}".format(where, index))


def describe(value: Any) -> str:
    """A short, readable account of a JSON value for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity") + " (or a number too large)"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return "the string {}".format(json.dumps(shown, ensure_ascii=False))
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__  # pragma: no cover - json gives no other types


def _is_type(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if kind == "number":
        return True
    if kind == "integer":
        return isinstance(value, int) or value.is_integer()
    raise ValueError("schema type {!r} is not a JSON type".format(kind))


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and objects nest in value (iterative: a file nested
    thousands deep cannot exhaust the stack); stops counting past limit."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > limit:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _key(path: str, name: Any) -> str:
    return "{}.{}".format(path, name) if path else str(name)


class Checker:
    """Checks values against one schema; :meth:`errors` lists every problem."""

    def __init__(self, schema: Dict[str, Any]):
        self.schema = schema

    def _resolve(self, ref: str) -> Dict[str, Any]:
        if not ref.startswith("#/"):
            raise ValueError("only local $ref are supported, not {!r}".format(ref))
        node: Any = self.schema
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def errors(self, value: Any, schema: Optional[Dict[str, Any]] = None, path: str = "") -> List[SchemaError]:
        schema = self.schema if schema is None else schema
        if "$ref" in schema:
            return self.errors(value, self._resolve(schema["$ref"]), path)
        if "anyOf" in schema:
            tried = [self.errors(value, option, path) for option in schema["anyOf"]]
            if any(not found for found in tried):
                return []
            wrong_type = [found for found in tried if len(found) == 1 and found[0].expected and found[0].path == path]
            if len(wrong_type) == len(tried):  # no option takes this type: name them all
                expected = " or ".join(found[0].expected for found in wrong_type)
                return [SchemaError(path, "must be {}, not {}".format(expected, describe(value)), expected)]
            return min((found for found in tried if found not in wrong_type), key=len)
        kinds = schema.get("type")
        if kinds is not None:
            kinds = [kinds] if isinstance(kinds, str) else list(kinds)
            if not any(_is_type(value, kind) for kind in kinds):
                expected = " or ".join(_EXPECTED[k] for k in kinds)
                return [SchemaError(path, "must be {}, not {}".format(expected, describe(value)), expected)]
        if "enum" in schema and value not in schema["enum"]:
            return [SchemaError(path, "must be one of {}, not {}".format(
                ", ".join(json.dumps(v) for v in schema["enum"]), describe(value)))]
        found: List[SchemaError] = []
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                found.append(SchemaError(path, "must be {} or more, not {}".format(schema["minimum"], describe(value))))
            if "maximum" in schema and value > schema["maximum"]:
                found.append(SchemaError(path, "must be {} or less, not {}".format(schema["maximum"], describe(value))))
        if isinstance(value, str):
            if len(value) < schema.get("minLength", 0):
                found.append(SchemaError(path, "must not be empty" if schema["minLength"] == 1
                                         else "must be at least {} characters".format(schema["minLength"])))
            if "pattern" in schema and not re.search(schema["pattern"], value):
                found.append(SchemaError(path, "{} does not match {}".format(describe(value), schema["pattern"])))
        if isinstance(value, dict):
            found.extend(self._object(value, schema, path))
        if isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                found.extend(self.errors(item, schema["items"], "{}[{}]".format(path, index)))
        return found

    def _object(self, value: Dict[str, Any], schema: Dict[str, Any], path: str) -> List[SchemaError]:
        found = []
        for name in schema.get("required", []):
            if name not in value:
                found.append(SchemaError(path, "has no {!r} key".format(name)))
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                found.extend(self.errors(item, properties[name], _key(path, name)))
            elif extra is False:
                found.append(SchemaError(_key(path, name), "is not a known key"))
            elif isinstance(extra, dict):
                found.extend(self.errors(item, extra, _key(path, name)))
        return found


_SCENE: List[Checker] = []


def scene_checker() -> Checker:
    """The checker for scene files (the schema is read once)."""
    if not _SCENE:
        _SCENE.append(Checker(load_schema("scene")))
    return _SCENE[0]


def check_scene(data: Any) -> List[SchemaError]:
    """Every way data differs from the scene-file format, in file order.

    A value nested deeper than MAX_DEPTH is one error (no scene needs more
    than a few levels), checked without recursion.
    """
    level = depth(data)
    if level > MAX_DEPTH:
        return [SchemaError("", "is nested more than {} levels deep; a scene file needs only a few".format(MAX_DEPTH))]
    return not_text(data) + scene_checker().errors(data)


_SURROGATE = re.compile("[\ud800-\udfff]")


def not_text(value: Any) -> List[SchemaError]:
    """An error for every string (key or value, anywhere, known key or not)
    holding a lone surrogate (``"R\\ud800"``): valid JSON, but not text, so
    it cannot be printed, logged or sent to Conductor. One pass of C code
    when there is none."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
        return []
    except UnicodeEncodeError:
        pass
    except (TypeError, ValueError):  # pragma: no cover - not JSON data
        return []
    found = []
    stack = [(value, "")]
    while stack:
        item, path = stack.pop()
        if isinstance(item, dict):
            for name, child in reversed(list(item.items())):
                key = _key(path, name)
                if isinstance(name, str) and _SURROGATE.search(name):
                    found.append(SchemaError(key, _SURROGATE_MESSAGE.format(_escaped(name), "key")))
                stack.append((child, key))
        elif isinstance(item, list):
            stack.extend((child, "{}[{}]".format(path, i)) for i, child in reversed(list(enumerate(item))))
        elif isinstance(item, str) and _SURROGATE.search(item):
            found.append(SchemaError(path, _SURROGATE_MESSAGE.format(_escaped(item), "string")))
    return found


_SURROGATE_MESSAGE = ("holds {} with a lone surrogate (a \\uD800-\\uDFFF escape that is half of a character): "
                      "it is not text; fix the {} in the file (the program that wrote it split a character)")


def _escaped(text: str) -> str:
    shown = text if len(text) <= 40 else text[:37] + "..."
    return json.dumps(shown)  # ASCII: the surrogate shows as \udXXX
