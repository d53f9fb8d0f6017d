"""Named presets of the submitter settings, per user and per show, as JSON files.

Layer: core (no Qt, no Katana). A preset is a JSON file holding some or all
of the :class:`~ciokatana.core.settings.Settings` fields (never the mock
ones)::

    {"name": "Lighting 4K", "saved_by": "kim", "saved_at": "2024-05-02T14:05:12",
     "settings": {"instance_type": "n2-highmem-32", "chunk_size": 2, ...}}

Loading one changes only the fields it holds, so a pipeline can ship a
preset that sets just the machine and the software. Presets live in three
kinds of folder, listed in this order:

- ``user``: next to the user's Katana resources,
  ``$KATANA_USER_RESOURCE_DIRECTORY`` (default ``~/.katana``) +
  ``/ciokatana/presets`` (or ``$CIOKATANA_USER_PRESETS``);
- ``show``: ``$CIOKATANA_SHOW_PRESETS``, a folder the show shares;
- ``pipeline``: the folders of ``$CIOKATANA_PRESET_PATH`` (separated like
  PATH), read-only defaults a pipeline ships.

Files are written atomically (a temp file renamed into place).
"""

from __future__ import annotations

import datetime
import getpass
import json
import os
import re
import tempfile
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ciokatana.core.settings import Settings

USER, SHOW, PIPELINE = "user", "show", "pipeline"
SCOPES = (USER, SHOW, PIPELINE)
NOT_IN_PRESETS = ("mock_mode", "mock_file", "mock_interval")


class PresetError(Exception):
    """A preset that cannot be saved, read or deleted; the message says which and why."""


@dataclass(frozen=True)
class Preset:
    name: str
    scope: str
    path: str

    @property
    def label(self) -> str:
        return "{} ({})".format(self.name, self.scope)


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", name.strip()).strip("._")
    return slug or "preset"


def _user_folder(environ: Mapping[str, str]) -> str:
    if environ.get("CIOKATANA_USER_PRESETS"):
        return environ["CIOKATANA_USER_PRESETS"]
    base = environ.get("KATANA_USER_RESOURCE_DIRECTORY") or os.path.join(os.path.expanduser("~"), ".katana")
    return os.path.join(base, "ciokatana", "presets")


class PresetStore:
    """The preset folders, with the scopes that may be written.

    Args:
        folders: ``[(scope, folder), ...]`` in listing order.
        writable: the scopes :meth:`save` and :meth:`delete` may touch.
    """

    def __init__(self, folders: Sequence[Tuple[str, str]], writable: Sequence[str] = (USER, SHOW)):
        self.folders = [(scope, folder) for scope, folder in folders if folder]
        self.writable = tuple(writable)

    @classmethod
    def default(cls, environ: Optional[Mapping[str, str]] = None) -> "PresetStore":
        environ = os.environ if environ is None else environ
        folders = [(USER, _user_folder(environ))]
        if environ.get("CIOKATANA_SHOW_PRESETS"):
            folders.append((SHOW, environ["CIOKATANA_SHOW_PRESETS"]))
        for folder in (environ.get("CIOKATANA_PRESET_PATH") or "").split(os.pathsep):
            if folder.strip():
                folders.append((PIPELINE, folder.strip()))
        return cls(folders)

    def folder(self, scope: str) -> Optional[str]:
        for candidate, folder in self.folders:
            if candidate == scope:
                return folder
        return None

    def scopes(self) -> List[str]:
        """Scopes a preset can be saved to here."""
        return [scope for scope, _folder in self.folders if scope in self.writable]

    def list(self) -> List[Preset]:
        found = []
        for scope, folder in self.folders:
            try:
                names = sorted(os.listdir(folder))
            except OSError:
                continue
            for file_name in names:
                if not file_name.endswith(".json") or file_name.startswith("."):
                    continue
                path = os.path.join(folder, file_name)
                found.append(Preset(_name_in(path) or file_name[:-5], scope, path))
        return found

    def save(self, name: str, scope: str, settings: Settings) -> Preset:
        name = (name or "").strip()
        if not name:
            raise PresetError("a preset needs a name")
        if scope not in self.writable or self.folder(scope) is None:
            raise PresetError("presets cannot be saved to the {} folder here (set {})".format(
                scope, "CIOKATANA_SHOW_PRESETS" if scope == SHOW else "a writable folder"))
        folder = self.folder(scope)
        data = {k: v for k, v in settings.to_dict().items() if k not in NOT_IN_PRESETS}
        document = {
            "name": name,
            "saved_by": _user(),
            "saved_at": datetime.datetime.now().replace(microsecond=0).isoformat(),
            "settings": data,
        }
        path = os.path.join(folder, _slug(name) + ".json")
        try:
            os.makedirs(folder, exist_ok=True)
            _write_atomic(path, document)
        except OSError as err:
            raise PresetError("could not save preset {!r} to {}: {}".format(name, folder, err))
        return Preset(name, scope, path)

    def load(self, preset: Preset) -> Dict[str, Any]:
        """The settings fields a preset holds, as Settings values (Packages, EnvVars...)."""
        try:
            with open(preset.path, "r", encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as err:
            raise PresetError("could not read preset {}: {}".format(preset.path, err))
        raw = document.get("settings") if isinstance(document, dict) else None
        if not isinstance(raw, dict):
            raise PresetError("preset {} has no 'settings' object".format(preset.path))
        raw = {k: v for k, v in raw.items() if k not in NOT_IN_PRESETS}
        try:
            parsed = Settings.from_dict(raw)
        except (TypeError, ValueError) as err:
            raise PresetError("preset {} holds settings that cannot be used: {}".format(preset.path, err))
        return {name: getattr(parsed, name) for name in raw if hasattr(parsed, name)}

    def delete(self, preset: Preset) -> None:
        if preset.scope not in self.writable:
            raise PresetError("{} is a {} preset and cannot be deleted here".format(preset.name, preset.scope))
        try:
            os.remove(preset.path)
        except OSError as err:
            raise PresetError("could not delete preset {}: {}".format(preset.path, err))


def _name_in(path: str) -> str:
    try:
        with open(path, "r", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError):
        return ""
    return str(document.get("name") or "") if isinstance(document, dict) else ""


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some sandboxes
        return ""


def _write_atomic(path: str, document: Dict[str, Any]) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
