"""The scene port: what the submitter needs to know about a Katana scene.

Layer: core (pure Python). The dialog and the command line never talk to
Katana directly; they talk to a :class:`Scene`. ``KatanaScene`` (in
``ciokatana.katana``) implements it over NodegraphAPI and FarmAPI, and
:class:`ciokatana.core.filescene.FileScene` implements it over a JSON file so
everything runs outside Katana.

Reads happen on the caller's thread (the UI thread inside Katana); the result
is a :class:`SceneSnapshot`, plain data that worker threads may use freely.

The per-node farm settings and render outputs keep Katana's own key names in
their dict form (``conductorOverrides``, ``outputLocation`` ...), so a scene
file reads like what FarmAPI reports.
"""

from __future__ import annotations

import abc
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, List, Optional, Tuple

from ciokatana.core import gsv

FARM_KEYS = {
    "overrides": "conductorOverrides",
    "frame_spec": "conductorFrameSpec",
    "scout_spec": "conductorScoutSpec",
    "chunk_size": "conductorChunkSize",
    "var_sets": "conductorVarSets",
}

OUTPUT_KEYS = {
    "name": "name",
    "enabled": "enabled",
    "output_location": "outputLocation",
    "temp_render_location": "tempRenderLocation",
}


_ASSET_ID = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")


def is_asset_id(text: str) -> bool:
    """Whether text is a URI-like asset id (``mock:///show/shot/v3``), not a path.

    A scheme of two or more characters followed by ``://``; a Windows drive
    (``C:/``, ``C:\\``) is a path.
    """
    return bool(_ASSET_ID.match(text or ""))


def scene_name_of(katana_file: str) -> str:
    """``/shows/shot010_v003.katana`` -> ``shot010_v003``; ``untitled`` if unsaved."""
    if not katana_file:
        return "untitled"
    base = katana_file.replace("\\", "/").rsplit("/", 1)[-1]
    return os.path.splitext(base)[0]


class SceneError(Exception):
    """The scene cannot be read or written. The message says what and where."""


@dataclass(frozen=True)
class FarmSettings:
    """A Render node's Conductor farm settings (``farmSettings.conductor*``).

    The frames, scout and chunk size only count when ``overrides`` is on;
    otherwise the submitter's defaults apply. ``chunk_size`` is kept as
    given (it may be a bad value typed by a user; validation reports it
    rather than the reader failing). ``var_sets`` (Graph State Variable
    sets, see :mod:`ciokatana.core.gsv`) always count: each set becomes its
    own job; none means one job with no variables.
    """

    overrides: bool = False
    frame_spec: str = ""
    scout_spec: str = ""
    chunk_size: Any = 1
    var_sets: Tuple[Tuple[Tuple[str, str], ...], ...] = ()

    def to_dict(self) -> Dict[str, Any]:
        data = {FARM_KEYS[k]: getattr(self, k) for k in FARM_KEYS if k != "var_sets"}
        if self.var_sets:
            data[FARM_KEYS["var_sets"]] = [gsv.to_mapping(s) for s in self.var_sets]
        return data

    @classmethod
    def from_dict(cls, data: Optional[Dict[str, Any]]) -> "FarmSettings":
        data = data or {}
        return cls(
            overrides=bool(data.get(FARM_KEYS["overrides"], False)),
            frame_spec=str(data.get(FARM_KEYS["frame_spec"], "") or ""),
            scout_spec=str(data.get(FARM_KEYS["scout_spec"], "") or ""),
            chunk_size=data.get(FARM_KEYS["chunk_size"], 1),
            var_sets=tuple(gsv.from_mapping(s) for s in data.get(FARM_KEYS["var_sets"]) or [] if isinstance(s, dict)),
        )


@dataclass(frozen=True)
class RenderOutput:
    """One render output of a Render node, as FarmAPI reports it."""

    name: str
    enabled: bool = True
    output_location: str = ""
    temp_render_location: str = ""

    def to_dict(self) -> Dict[str, Any]:
        return {OUTPUT_KEYS[k]: getattr(self, k) for k in OUTPUT_KEYS}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "RenderOutput":
        """From FarmAPI's output dict (or a scene file's): ``name``, ``enabled``,
        ``outputLocation``, ``tempRenderLocation`` (:data:`OUTPUT_KEYS`)."""
        return cls(
            name=str(data.get(OUTPUT_KEYS["name"], "") or ""),
            enabled=bool(data.get(OUTPUT_KEYS["enabled"], True)),
            output_location=str(data.get(OUTPUT_KEYS["output_location"], "") or ""),
            temp_render_location=str(data.get(OUTPUT_KEYS["temp_render_location"], "") or ""),
        )


@dataclass(frozen=True)
class RenderNode:
    """A Render node in scope: its name, selection, farm settings, outputs.

    ``renderer`` is Katana's render service id (``prman``, ``arnold``, ``dl``,
    ``Redshift`` ...) when known, else ``""``.
    """

    name: str
    selected: bool = False
    farm_settings: FarmSettings = field(default_factory=FarmSettings)
    outputs: Tuple[RenderOutput, ...] = ()
    renderer: str = ""

    def to_dict(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "selected": self.selected,
            "renderer": self.renderer,
            "farm_settings": self.farm_settings.to_dict(),
            "outputs": [o.to_dict() for o in self.outputs],
        }

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "RenderNode":
        return cls(
            name=str(data["name"]),
            selected=bool(data.get("selected", False)),
            farm_settings=FarmSettings.from_dict(data.get("farm_settings")),
            outputs=tuple(RenderOutput.from_dict(o) for o in data.get("outputs") or []),
            renderer=str(data.get("renderer", "") or ""),
        )


@dataclass(frozen=True)
class SceneNote:
    """Something the scene reader saw that validation must report.

    For example a Render node in scope that is bypassed (skipped, not a
    job), or an asset id that no asset plug-in resolved (its file is not
    uploaded). ``level`` is a validation level (``error``, ``warning``,
    ``notice``); ``where`` names the node/parameter; ``message`` says what
    and how to fix it.
    """

    level: str
    rule: str
    where: str
    message: str

    def to_dict(self) -> Dict[str, Any]:
        return {"level": self.level, "rule": self.rule, "where": self.where, "message": self.message}

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "SceneNote":
        return cls(
            level=str(data.get("level", "")),
            rule=str(data.get("rule", "") or ""),
            where=str(data.get("where", "") or ""),
            message=str(data.get("message", "")),
        )


@dataclass(frozen=True)
class SceneSnapshot:
    """Everything a submission needs from the scene, read once, as plain data.

    Attributes:
        katana_file: absolute path of the saved Katana file, ``""`` if never saved.
        frame_range: the scene's (start, end) frames.
        dirty: the scene has changes that are not saved.
        nodes: the Render nodes in scope, in order.
        assets: asset paths found in the scene (may hold sequence patterns).
        temp_dir: Katana's temp dir; outputs inside it are not real outputs.
        notes: what the reader saw that validation reports (:class:`SceneNote`).
    """

    katana_file: str
    frame_range: Tuple[int, int]
    dirty: bool = False
    nodes: Tuple[RenderNode, ...] = ()
    assets: Tuple[str, ...] = ()
    temp_dir: str = ""
    notes: Tuple[SceneNote, ...] = ()

    @property
    def scene_name(self) -> str:
        """The file name without folder or extension (``shot010_v003``)."""
        return scene_name_of(self.katana_file)

    def node(self, name: str) -> Optional[RenderNode]:
        for node in self.nodes:
            if node.name == name:
                return node
        return None

    def with_var_sets(self, var_sets) -> "SceneSnapshot":
        """A copy where every node in scope renders these variable sets."""
        nodes = tuple(replace(n, farm_settings=replace(n.farm_settings, var_sets=tuple(var_sets))) for n in self.nodes)
        return replace(self, nodes=nodes)

    def with_farm_settings(self, name: str, farm: FarmSettings) -> "SceneSnapshot":
        """A copy with one node's farm settings replaced (for quick previews)."""
        nodes = tuple(replace(n, farm_settings=farm) if n.name == name else n for n in self.nodes)
        return replace(self, nodes=nodes)


class Scene(abc.ABC):
    """The port the dialog and the CLI read and write a scene through.

    Implementations: ``FileScene`` (JSON file) and ``KatanaScene`` (Katana).
    All methods run on the caller's thread; nothing here may be slow except
    :meth:`save`.
    """

    @abc.abstractmethod
    def katana_file(self) -> str:
        """Absolute path of the saved Katana file, or ``""`` when unsaved."""

    @abc.abstractmethod
    def frame_range(self) -> Tuple[int, int]:
        """The scene frame range as (start, end)."""

    @abc.abstractmethod
    def is_dirty(self) -> bool:
        """Whether the scene has unsaved changes."""

    @abc.abstractmethod
    def render_nodes(self) -> List[RenderNode]:
        """The Render nodes in scope (see the design guide for the scope rule)."""

    @abc.abstractmethod
    def assets(self) -> List[str]:
        """Asset paths referenced by the scene (patterns allowed)."""

    def temp_dir(self) -> str:
        """Katana's temp dir, whose outputs are not real outputs."""
        return ""

    def notes(self) -> List[SceneNote]:
        """What reading the scene found that validation must report (read after the rest)."""
        return []

    @abc.abstractmethod
    def load_settings(self) -> Dict[str, Any]:
        """The stored submitter settings as a dict (``{}`` when none)."""

    @abc.abstractmethod
    def store_settings(self, data: Dict[str, Any]) -> None:
        """Store the submitter settings (a dict from ``Settings.to_dict``)."""

    @abc.abstractmethod
    def set_farm_settings(self, node_name: str, farm: FarmSettings) -> None:
        """Write one Render node's Conductor farm settings."""

    @abc.abstractmethod
    def save(self) -> str:
        """Save the scene; return the saved path. Raises SceneError on failure."""

    def scene_name(self) -> str:
        return scene_name_of(self.katana_file())

    def load_history(self) -> List[Dict[str, Any]]:
        """Jobs submitted from this scene before, as stored with it (``[]`` when none are kept).

        Each entry is ``{"fingerprint", "title", "jobid", "submitted_at"}``
        (a payload digest, the job title and id, ISO time). The dialog uses
        it to say that payloads were already submitted as jobs N-M.
        Implementations that keep no history need not override it.
        """
        return []

    def store_history(self, entries: List[Dict[str, Any]]) -> None:
        """Keep these history entries with the scene (the newest last); a no-op by default."""
        return None

    def revision(self) -> Any:
        """A cheap token that changes whenever what :meth:`snapshot` reads may have changed.

        The dialog compares tokens instead of reading (and scraping) the
        scene again each time a tab is shown, and to tell whether a checked
        submission still matches the scene. ``None`` (the default) means
        the implementation cannot tell: callers then read the scene again.
        """
        return None

    def snapshot(self) -> SceneSnapshot:
        """Read everything once into plain data for worker threads."""
        return SceneSnapshot(
            katana_file=self.katana_file(),
            frame_range=tuple(self.frame_range()),
            dirty=self.is_dirty(),
            nodes=tuple(self.render_nodes()),
            assets=tuple(self.assets()),
            temp_dir=self.temp_dir(),
            notes=tuple(self.notes()),
        )
