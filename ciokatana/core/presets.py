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

Files are written atomically (a temp file moved into place, so a reader
never sees half a preset). Saving never replaces an existing preset unless
asked to (``overwrite=True``): a preset of the same name, yours or one a
colleague saved for the show, raises :class:`PresetExists` naming who saved
it and when, and the new file is linked into place only if the name is
still free at that moment. A preset that is read-only (the pipeline's, or a
file this user may not write) is never replaced.

Listing reads only regular ``.json`` files (a FIFO or device named
``x.json`` in a shared folder is skipped, never opened). Every call here may
touch a network folder, so the dialog makes them on a worker thread.
"""

from __future__ import annotations

import datetime
import getpass
import json
import os
import re
import stat
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ciokatana.core import atomic
from ciokatana.core.settings import Settings

USER, SHOW, PIPELINE = "user", "show", "pipeline"
SCOPES = (USER, SHOW, PIPELINE)
NOT_IN_PRESETS = ("mock_mode", "mock_file", "mock_interval")


class PresetError(Exception):
    """A preset that cannot be saved, read or deleted; the message says which and why."""


class PresetExists(PresetError):
    """Saving would replace an existing preset; ``existing`` is it, with who saved it and when.

    Attributes:
        existing: the :class:`Preset` of that name in that folder.
        saved_by / saved_at: as recorded in its file ("" when unknown).
        read_only: it may not be replaced at all (pipeline, or not writable).
    """

    def __init__(self, existing, saved_by="", saved_at="", read_only=False):
        who = " by {}".format(saved_by) if saved_by else ""
        when = " on {}".format(saved_at.replace("T", " at ")) if saved_at else ""
        if read_only:
            text = "the preset {!r} ({}) already exists{}{} and is read-only: save under another name".format(
                existing.name, existing.scope, who, when)
        else:
            text = "a preset named {!r} already exists for the {} (saved{}{})".format(
                existing.name, "show" if existing.scope == SHOW else existing.scope, who or " earlier", when)
        super().__init__(text)
        self.existing = existing
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.read_only = read_only


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
        """Every preset, folder by folder (regular ``.json`` files only; blocking: use a worker)."""
        found = []
        for scope, folder in self.folders:
            found.extend(self._list_folder(scope, folder))
        return found

    @staticmethod
    def _list_folder(scope: str, folder: str) -> List[Preset]:
        try:
            with os.scandir(folder) as entries:
                files = sorted((e.name, e.path) for e in entries
                               if e.name.endswith(".json") and not e.name.startswith(".") and _regular(e.path))
        except OSError:
            return []
        return [Preset(_name_in(path) or file_name[:-5], scope, path) for file_name, path in files]

    def find(self, name: str, scope: str) -> Optional[Preset]:
        """The preset that saving ``name`` to ``scope`` would replace (same file or same name), or None."""
        folder = self.folder(scope)
        if folder is None:
            return None
        path = os.path.join(folder, _slug(name) + ".json")
        wanted = name.strip().lower()
        for preset in self._list_folder(scope, folder):
            if preset.path == path or preset.name.strip().lower() == wanted:
                return preset
        return None

    def save(self, name: str, scope: str, settings: Settings, overwrite: bool = False) -> Preset:
        """Save the settings (never the mock ones) as a preset; returns it.

        Raises:
            PresetExists: a preset of that name is there (``overwrite=False``),
                or it is read-only (whatever ``overwrite`` says).
            PresetError: no name, a scope that cannot be written, or the
                write failed; the message says which.
        """
        name = (name or "").strip()
        if not name:
            raise PresetError("a preset needs a name")
        if scope not in self.writable or self.folder(scope) is None:
            raise PresetError("presets cannot be saved to the {} folder here (set {})".format(
                scope, "CIOKATANA_SHOW_PRESETS" if scope == SHOW else "a writable folder"))
        folder = self.folder(scope)
        existing = self.find(name, scope)
        if existing is not None:
            info = _document(existing.path)
            read_only = existing.scope not in self.writable or not os.access(existing.path, os.W_OK)
            if read_only or not overwrite:
                raise PresetExists(existing, str(info.get("saved_by") or ""), str(info.get("saved_at") or ""),
                                   read_only)
        data = {k: v for k, v in settings.to_dict().items() if k not in NOT_IN_PRESETS}
        document = {
            "name": name,
            "saved_by": _user(),
            "saved_at": datetime.datetime.now().replace(microsecond=0).isoformat(),
            "settings": data,
        }
        path = existing.path if existing is not None else os.path.join(folder, _slug(name) + ".json")
        try:
            os.makedirs(folder, exist_ok=True)
            _write_atomic(path, document, replace=existing is not None)
        except FileExistsError:  # someone saved that name since we looked
            raced = self.find(name, scope) or Preset(name, scope, path)
            info = _document(raced.path)
            raise PresetExists(raced, str(info.get("saved_by") or ""), str(info.get("saved_at") or ""))
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


def _regular(path: str) -> bool:
    """A regular file (following links): never a FIFO, socket or device, which could block a read."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _document(path: str) -> Dict[str, Any]:
    if not _regular(path):
        return {}
    try:
        with open(path, "r", encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def _name_in(path: str) -> str:
    return str(_document(path).get("name") or "")


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some sandboxes
        return ""


def _write_atomic(path: str, document: Dict[str, Any], replace: bool = False) -> None:
    """Write ``document`` next to ``path``, then move it into place in one step.

    With ``replace`` False the file is linked into place only if ``path``
    does not exist (FileExistsError otherwise), so a preset saved by
    someone else in the meantime is never replaced.
    """
    # mode: readable by the show (mkstemp makes it private)
    atomic.write_json(path, document, mode=0o644, place=os.replace if replace else _place_new)


def _place_new(tmp: str, path: str) -> None:
    """Move ``tmp`` to ``path`` unless ``path`` exists (atomic where hard links work)."""
    try:
        os.link(tmp, path)  # fails with FileExistsError if the name is taken
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if os.path.lexists(path):
            raise FileExistsError(path)
        os.replace(tmp, path)
