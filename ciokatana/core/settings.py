"""Submitter settings: what the artist chooses in the Configure tab.

Layer: core. Settings are a dataclass with a lossless dict form; the scene
stores the dict (the ConductorRender node's parameters inside Katana, the
``settings`` key of a scene file outside it). ``from_dict`` ignores keys it
does not know and keeps missing ones at their defaults, so settings written
by a newer or older version still load.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Dict, List, Optional

DEFAULT_TITLE = "Katana {scene} {node}"
DEFAULT_TASK_TEMPLATE = "katana --batch --katana-file={scene} --render-node={node} -t {chunk}"
MERGE_POLICIES = ("exclusive", "append", "prepend")
MOCK_MODES = ("off", "use", "generate")
MIN_MOCK_INTERVAL = 0.05
#: "shared": upload every job's files once, then create the jobs (default);
#: "stock": ciocore's Submit per job (its own uploader; about 10 s per job).
UPLOADERS = ("shared", "stock")
DEFAULT_TIMEOUT = 120.0
# The bounds the scene-file schema also sets (settings.mock_interval,
# settings.autoretry): one rule for files, flags and the dialog.
MAX_MOCK_INTERVAL = 3600.0
MAX_AUTORETRY = 1000


@dataclass
class EnvVar:
    """An extra environment variable for the render tasks."""

    name: str
    value: str
    merge_policy: str = "exclusive"

    def to_dict(self) -> Dict[str, str]:
        return {"name": self.name, "value": self.value, "merge_policy": self.merge_policy}


@dataclass
class Package:
    """A Conductor software package chosen for the job.

    ``path`` is the package tree path (``katana 7.0.3 linux`` or, for a
    renderer, ``katana 7.0.3 linux/renderman-katana 26.1 linux``); the id and
    environment are copied from Conductor when the package is chosen, so a
    payload can be built without a connection. A package with no id is a
    name still to resolve (a scene file may list plain names):
    :func:`ciokatana.core.conductor.resolve_software` does it.
    """

    path: str
    package_id: str = ""
    product: str = ""
    platform: str = "linux"
    environment: List[Dict[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The last path component, e.g. ``renderman-katana 26.1 linux``."""
        return self.path.rsplit("/", 1)[-1]

    @classmethod
    def from_conductor(cls, path: str, package: Dict[str, Any]) -> "Package":
        return cls(
            path=path,
            package_id=str(package.get("package_id", "")),
            product=str(package.get("product", "")),
            platform=str(package.get("platform", "linux")),
            environment=[dict(e) for e in package.get("environment") or []],
        )


@dataclass
class Settings:
    """Every choice the submitter stores with the scene."""

    # General
    title_template: str = DEFAULT_TITLE
    project: str = ""
    instance_type: str = ""
    preemptible: bool = True
    autoretry: int = 1
    # Software: the Katana host first, then renderer plugins.
    software: List[Package] = field(default_factory=list)
    # Frames and tasks (defaults; a Render node may override them)
    frame_spec: str = ""
    scout_spec: str = "fml:3"
    chunk_size: Any = 1
    # Environment and metadata
    environment: List[EnvVar] = field(default_factory=list)
    metadata: Dict[str, str] = field(default_factory=dict)
    # Assets
    extra_assets: List[str] = field(default_factory=list)
    # Advanced
    task_template: str = DEFAULT_TASK_TEMPLATE
    notify: List[str] = field(default_factory=list)
    location: str = ""
    use_daemon: bool = False
    uploader: str = "shared"
    timeout: float = DEFAULT_TIMEOUT
    # Mocks (only offered when CIO_FEATURE_MOCK=1)
    mock_mode: str = "off"
    mock_file: str = ""
    mock_interval: float = 1.0

    # -- software helpers ------------------------------------------------
    @property
    def katana_package(self) -> Optional[Package]:
        for pkg in self.software:
            if "/" not in pkg.path:
                return pkg
        return None

    @property
    def renderer_packages(self) -> List[Package]:
        return [p for p in self.software if "/" in p.path]

    # -- dict form -------------------------------------------------------
    def to_dict(self) -> Dict[str, Any]:
        return copy.deepcopy(asdict(self))

    @classmethod
    def from_dict(cls, data: Optional[Dict[str, Any]]) -> "Settings":
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        kwargs = {k: copy.deepcopy(v) for k, v in data.items() if k in known}
        if "software" in kwargs:
            kwargs["software"] = [
                p if isinstance(p, Package) else Package(path=p) if isinstance(p, str) else Package(**_known(Package, p))
                for p in kwargs["software"] or []
            ]
        if "environment" in kwargs:
            kwargs["environment"] = [
                e if isinstance(e, EnvVar) else EnvVar(**_known(EnvVar, e))
                for e in kwargs["environment"] or []
            ]
        for key in ("metadata",):
            if key in kwargs and kwargs[key] is None:
                kwargs[key] = {}
        for key in ("extra_assets", "notify"):
            if key in kwargs and kwargs[key] is None:
                kwargs[key] = []
            elif isinstance(kwargs.get(key), str):  # one value, never a list of its characters
                kwargs[key] = [kwargs[key]] if kwargs[key] else []
        return cls(**kwargs)

    def copy(self) -> "Settings":
        return Settings.from_dict(self.to_dict())


def _known(klass, data: Dict[str, Any]) -> Dict[str, Any]:
    names = {f.name for f in fields(klass)}
    return {k: v for k, v in dict(data).items() if k in names}


def parse_key_value(text: str, what: str = "value") -> tuple:
    """Parse ``KEY=VALUE`` (or ``KEY+=VALUE`` for append) from a command line.

    Returns (key, value, merge_policy). Raises ValueError with a message that
    says what is wrong and shows the expected form.
    """
    if "=" not in text:
        raise ValueError("{} {!r} has no '=': write it as KEY=VALUE".format(what, text))
    key, value = text.split("=", 1)
    policy = "exclusive"
    if key.endswith("+"):
        key, policy = key[:-1], "append"
    key = key.strip()
    if not key:
        raise ValueError("{} {!r} has an empty name: write it as KEY=VALUE".format(what, text))
    return key, value, policy
