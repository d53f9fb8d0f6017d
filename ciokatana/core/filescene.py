"""A scene read from a JSON file, for use outside Katana.

Layer: core. Implements the :class:`~ciokatana.core.scene.Scene` port so the
command line, the standalone dialog and the tests run with no Katana.

File format (``examples/`` holds complete ones)::

    {
      "katana_file": "shot010_lighting_v003.katana",   # "" or null: never saved
      "frame_range": {"start": 1001, "end": 1100},
      "unsaved_changes": false,                        # optional
      "temp_dir": "/tmp/katana_tmpdir_4242",           # optional
      "render_nodes": [
        {"name": "beauty", "selected": false, "renderer": "prman",
         "farm_settings": {"conductorOverrides": false, "conductorFrameSpec": "1001-1100",
                           "conductorScoutSpec": "", "conductorChunkSize": 1},
         "outputs": [{"name": "primary", "enabled": true,
                      "outputLocation": "/renders/beauty.####.exr", "tempRenderLocation": ""}]}
      ],
      "assets": ["textures/wood.<UDIM>.tx", "caches/char.abc"],
      "settings": {...},                               # optional, see Settings.to_dict()
      "scope": ["beauty"],                             # optional: exactly these nodes, even []
      "notes": [{"level": "notice", "rule": "bypassed_render_node",
                 "where": "Render node 'old'", "message": "is bypassed, ..."}],  # optional
      "submissions": [{"fingerprint": "...", "title": "...", "jobid": "00042",
                       "submitted_at": "2024-05-02T14:05:12"}]   # optional, kept by the dialog
    }

Scope: ``--node`` names when given; else the ``scope`` list when the file
has one (exactly those nodes, none when it is empty: ``batch.export_scene``
writes it, so an export carries Katana's scope as it was, including a
scope of bypassed nodes only); else the ``selected`` nodes; else all.
``notes`` carries what the scene reader saw that validation must report
(bypassed Render nodes in scope, asset ids that did not resolve), as
:class:`~ciokatana.core.scene.SceneNote` dicts.

Every key's type is checked against the JSON Schema shipped in
``ciokatana/core/schemas/scene.schema.json`` (``docs/scene-format.md``
documents it): a malformed file is refused with a message naming the exact
key (``render_nodes[1].farm_settings.conductorOverrides must be true or
false, not the string "false"``), never read loosely. A UTF-8 byte-order
mark is accepted.

Relative ``katana_file`` and ``assets`` paths are relative to the JSON
file's folder, so an example works wherever it is unpacked; an asset id
(``mock:///show/shot/v3``) is kept as it is, never joined to the folder,
and validation reports a ``katana_file`` that is one. Keys the format
does not know are kept when the file is written back. Writes are atomic
(a temp file renamed over the original), so a crash never leaves half a file.
"""

from __future__ import annotations

import copy
import json
import os
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ciokatana.core import atomic
from ciokatana.core.regular_file import NotRegularFile, open_regular, read_capped
from ciokatana.core.scene import FarmSettings, RenderNode, Scene, SceneError, SceneNote, is_asset_id
from ciokatana.core.schema import SchemaError, check_scene


# A scene file is a few MB at most (tens of thousands of assets); a larger
# one is the wrong file, and reading it whole would hold it all in memory.
MAX_SCENE_BYTES = 256 << 20
# The longest whole number a scene file may hold (frame numbers, sizes).
# Python 3.11 refuses to read one of more than 4,300 digits.
MAX_INT_DIGITS = 40


class _NumberTooLong(ValueError):
    def __init__(self, digits: int):
        super().__init__("a whole number {} digits long".format(digits))
        self.digits = digits


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INT_DIGITS:
        raise _NumberTooLong(digits)
    return int(text)


def _where_digits(text: str, digits: int) -> str:
    """`` (line N)`` of the first run of that many digits, if found."""
    match = re.search(r"\d{%d}" % min(digits, MAX_INT_DIGITS + 1), text)
    return " (line {})".format(text.count("\n", 0, match.start()) + 1) if match else ""


def _fail(path: str, message: str) -> SceneError:
    return SceneError("scene file {}: {}".format(path, message))


class SceneFormatError(SceneError):
    """A scene file whose keys have the wrong types (per the JSON Schema in
    ``ciokatana/core/schemas/scene.schema.json``). ``problems`` lists every
    :class:`~ciokatana.core.schema.SchemaError`, each naming its key."""

    def __init__(self, path: str, problems: List[SchemaError], message: str):
        super().__init__("scene file {}: {}".format(path, message))
        self.path = path
        self.problems = list(problems)


class FileScene(Scene):
    """The scene port over a JSON scene file.

    Args:
        path: the JSON scene file.
        nodes: names of the Render nodes to put in scope; by default the
            file's ``scope`` list when it has one (even an empty one), else
            the selected nodes, or all of them when none is selected.

    Raises:
        SceneError: unreadable file, not JSON, wrong shape, or an unknown
            node name; the message names the file and the problem.
    """

    def __init__(self, path: str, nodes: Optional[Sequence[str]] = None):
        self.path = os.path.abspath(path)
        self.folder = os.path.dirname(self.path)
        self._data = self._read()
        self._nodes = self._parse_nodes()
        self.explicit_scope = bool(nodes) or self._data.get("scope") is not None
        self.scope = self._scope(list(nodes or []))
        self._revision = 0  # the file is read once: only this object's own writes change what it reads

    # -- reading ---------------------------------------------------------
    def _read(self) -> Dict[str, Any]:
        try:
            with open_regular(self.path) as handle:
                raw = read_capped(handle, MAX_SCENE_BYTES)
        except FileNotFoundError:
            raise _fail(self.path, "does not exist")
        except NotRegularFile as err:
            if err.kind == "a folder":
                raise _fail(self.path, "is a folder, not a scene file")
            raise _fail(self.path, "is {}, not a scene file: save the scene to a file and pass that".format(err.kind))
        except PermissionError:
            raise _fail(self.path, "cannot be read (permission denied)")
        except ValueError:
            raise _fail(self.path, "is larger than {} MB: a scene file is a few MB at most; is it the right file?".format(
                MAX_SCENE_BYTES // (1 << 20)))
        except OSError as err:
            raise _fail(self.path, "cannot be read ({})".format(err.strerror or err))
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _fail(self.path, "is not UTF-8 text; is it a .katana file? Pass a JSON scene file")
        try:
            data = json.loads(text, parse_int=_parse_int)
        except json.JSONDecodeError as err:
            raise _fail(self.path, "is not valid JSON (line {}, column {}: {})".format(err.lineno, err.colno, err.msg))
        except _NumberTooLong as err:
            raise _fail(self.path, "holds a whole number {:,} digits long{}; no value in a scene file needs more "
                        "than {} (see docs/scene-format.md)".format(err.digits, _where_digits(text, err.digits),
                                                                    MAX_INT_DIGITS))
        except RecursionError:
            raise _fail(self.path, "is nested too deeply to read; a scene file needs only a few levels")
        except ValueError as err:  # anything else the reader refuses: one line, never a traceback
            raise _fail(self.path, "cannot be read as JSON ({})".format(err))
        if not isinstance(data, dict):
            raise _fail(self.path, "must hold a JSON object with 'katana_file', 'frame_range' and 'render_nodes'")
        problems = check_scene(data)
        if problems:
            more = " (and {} more problem(s); 'ciokatana validate' lists them)".format(len(problems) - 1) if len(problems) > 1 else ""
            raise SceneFormatError(self.path, problems, "{}{}; see docs/scene-format.md".format(problems[0], more))
        return data

    def _parse_nodes(self) -> List[RenderNode]:
        nodes = []
        names = set()
        for raw in self._data["render_nodes"]:
            if raw["name"] in names:
                raise _fail(self.path, "two Render nodes are named {!r}; node names are unique".format(raw["name"]))
            names.add(raw["name"])
            nodes.append(RenderNode.from_dict(raw))
        return nodes

    def _scope(self, wanted: List[str]) -> List[str]:
        all_names = [n.name for n in self._nodes]
        listed = self._data.get("scope")
        if wanted:
            problem = "has no Render node named {}"
        elif listed is not None:  # the file's own scope, exactly, even when empty
            wanted, problem = list(listed), "names {} in its 'scope', but no such Render node is in its render_nodes"
        else:
            selected = [n.name for n in self._nodes if n.selected]
            return selected or all_names
        unknown = [n for n in wanted if n not in all_names]
        if unknown:
            raise _fail(self.path, (problem + "; it has: {}").format(
                ", ".join(repr(u) for u in unknown), ", ".join(all_names) or "(none)"))
        return [n for n in all_names if n in wanted]

    def _abs(self, path: str) -> str:
        if not path:
            return ""
        if is_asset_id(path):  # an asset id is not a path: kept as it is (validation reports it)
            return path
        if path.startswith("/") or (len(path) > 1 and path[1] == ":") or path.startswith("\\\\"):
            return path
        return os.path.normpath(os.path.join(self.folder, path))

    # -- the port --------------------------------------------------------
    def katana_file(self) -> str:
        return self._abs(self._data.get("katana_file") or "")

    def frame_range(self) -> Tuple[int, int]:
        fr = self._data["frame_range"]
        return int(fr["start"]), int(fr["end"])

    def is_dirty(self) -> bool:
        return bool(self._data.get("unsaved_changes", False))

    def all_render_nodes(self) -> List[RenderNode]:
        return list(self._nodes)

    def render_nodes(self) -> List[RenderNode]:
        return [n for n in self._nodes if n.name in self.scope]

    def assets(self) -> List[str]:
        return [self._abs(str(p)) for p in self._data.get("assets", []) if p]

    def temp_dir(self) -> str:
        return str(self._data.get("temp_dir") or "")

    def notes(self) -> List[SceneNote]:
        """The file's ``notes`` (what the reader saw in Katana), and an empty explicit scope."""
        notes = [SceneNote.from_dict(n) for n in self._data.get("notes") or []]
        if self.explicit_scope and not self.scope and self._nodes:
            notes.append(SceneNote(
                "notice", "empty_scope", "Scene file",
                "puts no Render node in scope (its 'scope' list is empty: none was in scope when it was "
                "exported), so nothing is submitted; pass --node NAME to choose from: {}".format(
                    ", ".join(n.name for n in self._nodes))))
        return notes

    def revision(self) -> int:
        """Counts the writes that change what :meth:`snapshot` reads (farm settings, saving)."""
        return self._revision

    def load_settings(self) -> Dict[str, Any]:
        return copy.deepcopy(self._data.get("settings") or {})

    def store_settings(self, data: Dict[str, Any]) -> None:
        self._data["settings"] = copy.deepcopy(data)
        self._write()

    def load_history(self) -> List[Dict[str, Any]]:
        entries = self._data.get("submissions")
        if not isinstance(entries, list):
            return []
        return [dict(e) for e in entries if isinstance(e, dict) and e.get("fingerprint")]

    def store_history(self, entries: List[Dict[str, Any]]) -> None:
        self._data["submissions"] = copy.deepcopy(list(entries))
        self._write()

    def set_farm_settings(self, node_name: str, farm: FarmSettings) -> None:
        for index, raw in enumerate(self._data["render_nodes"]):
            if raw["name"] == node_name:
                raw["farm_settings"] = farm.to_dict()
                self._nodes[index] = RenderNode.from_dict(raw)
                self._revision += 1
                self._write()
                return
        raise _fail(self.path, "has no Render node named {!r}".format(node_name))

    def save(self) -> str:
        if not self._data.get("katana_file"):
            raise _fail(self.path, "the scene has no 'katana_file' to save to; set one first")
        self._data["unsaved_changes"] = False
        self._revision += 1
        self._write()
        return self.katana_file()

    def _write(self) -> None:
        try:
            atomic.write_json(self.path, self._data)
        except OSError as err:
            raise _fail(self.path, "cannot be written ({})".format(err.strerror or err))
