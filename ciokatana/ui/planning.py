"""Planning and validation as one background task, and what it yields.

Layer: ui (but Qt-free: :func:`compute` runs on a worker thread). The
controller takes a scene snapshot on the UI thread and hands it, with a
copy of the settings and any Conductor data, to :func:`compute`, which
plans every job (resolving assets: disk access), validates the plan and
sums the assets for the Configure tab. The result is plain data.
"""

from dataclasses import dataclass, field
from typing import Any, List, Optional

from ciokatana.core import assets as assets_mod
from ciokatana.core.plan import plan_submission
from ciokatana.core.validation import ERROR, WARNING, validate


@dataclass(frozen=True)
class AssetRow:
    """One requested asset path and what it stands for on disk."""

    source: str
    location: str
    file_count: int
    size: int

    @property
    def missing(self):
        return self.file_count == 0


@dataclass
class PlanResult:
    """A plan with its findings and asset figures (from :func:`compute`).

    Attributes:
        generation: the controller's request number; older results are stale.
        plan: the :class:`~ciokatana.core.plan.Plan`.
        findings: validation findings, errors first.
        scene_assets / extra_assets: one :class:`AssetRow` per requested path.
        file_count / total_size: distinct files to upload and their bytes.
    """

    generation: int
    plan: Any
    findings: List[Any] = field(default_factory=list)
    scene_assets: List[AssetRow] = field(default_factory=list)
    extra_assets: List[AssetRow] = field(default_factory=list)
    file_count: int = 0
    total_size: int = 0
    mock_error: Optional[str] = None

    @property
    def errors(self):
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self):
        return [f for f in self.findings if f.level == WARNING]

    @property
    def jobs(self):
        return self.plan.jobs if self.plan is not None else []

    def job(self, name):
        return self.plan.job(name) if self.plan is not None else None


def _rows(resolved):
    return [
        AssetRow(source=e.source, location=e.location or e.source, file_count=len(e.files), size=e.size)
        for e in resolved.entries
    ]


def compute(generation, snapshot, settings, conductor_data=None, check_mock=None):
    """Plan, validate and sum assets (blocking; call on a worker thread).

    Args:
        generation: returned unchanged in the result.
        snapshot: a :class:`~ciokatana.core.scene.SceneSnapshot`.
        settings: a private copy of the settings.
        conductor_data: a ConductorData when connected, for validation.
        check_mock: optional callable run last; its exception text becomes
            ``mock_error`` (used to vet a mock file before a replay).
    """
    plan = plan_submission(snapshot, settings)
    instance_types = conductor_data.instance_type_map() if conductor_data is not None else None
    projects = list(conductor_data.projects) if conductor_data is not None else None
    findings = validate(plan, instance_types=instance_types, projects=projects)
    scene_rows = _rows(plan.assets)
    extra_rows = _rows(plan.extra_assets)
    files = set(plan.assets.files) | set(plan.extra_assets.files)
    file_count, total = assets_mod.sizes_of(sorted(files))
    result = PlanResult(
        generation=generation,
        plan=plan,
        findings=findings,
        scene_assets=scene_rows,
        extra_assets=extra_rows,
        file_count=file_count,
        total_size=total,
    )
    if check_mock is not None:
        try:
            check_mock()
        except Exception as err:  # reported to the artist
            result.mock_error = str(err)
    return result
