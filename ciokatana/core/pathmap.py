"""Path mapping: every path of a submission as the Linux render node sees it.

Layer: core (no Qt, no Katana, no disk access: it reads what planning
already resolved). For the scene file, every asset file (and every asset
path that names nothing), every extra asset and every render output, a
:class:`PathRow` says:

- ``farm``: the path on the render node, by ciocore's own rule
  (``ciocore.file_utils.strip_drive_letter``, then forward slashes):
  ``C:\\shows\\a.exr`` -> ``/shows/a.exr``, ``\\\\server\\share\\a`` ->
  ``//server/share/a``;
- ``status``: ``upload`` (found here, uploaded with the job), ``on farm``
  (a render output, or a file under the job's output path: the farm writes
  it, nothing is uploaded) or ``missing`` (nothing on disk here: not
  uploaded, the render fails if it needs it);
- ``note``: why a farm path will not work as written, from ciocore's own
  check (``validate_path``: it must start with ``/`` and hold no ``:``).

``ciokatana validate --paths`` prints the rows; the dialog's Validation tab
shows them in a table that can be filtered.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Dict, List, Set

from ciokatana.core import assets as assets_mod

UPLOAD = "upload"
ON_FARM = "on farm"
MISSING = "missing"
STATUSES = (UPLOAD, ON_FARM, MISSING)

SCENE = "scene"
ASSET = "asset"
EXTRA = "extra asset"
OUTPUT = "output"
KINDS = (SCENE, ASSET, EXTRA, OUTPUT)


@dataclass(frozen=True)
class PathRow:
    """One path of a submission, here and on the render node."""

    kind: str
    local: str
    farm: str
    status: str
    source: str = ""
    nodes: str = ""
    note: str = ""

    def to_dict(self) -> Dict[str, str]:
        return asdict(self)

    def matches(self, text: str) -> bool:
        """Case-insensitive substring match on every column (for filters)."""
        text = text.lower()
        return any(text in str(value).lower() for value in asdict(self).values())


def farm_path(path: str) -> str:
    """The path as a Linux render node sees it (ciocore's drive-letter rule)."""
    from ciocore.file_utils import strip_drive_letter

    return strip_drive_letter(path).replace("\\", "/")


def farm_problem(farm: str) -> str:
    """Why ciocore would refuse the farm path, or ``""``."""
    from ciocore.file_utils import validate_path

    return validate_path(farm) or ""


def path_rows(plan) -> List[PathRow]:
    """Every path of a planned submission, scene file first, then assets,
    extra assets and outputs, each in its planned order."""
    uploaded: Set[str] = set()
    for job in plan.jobs:
        uploaded.update((job.payload or {}).get("upload_paths") or [])
    planned = any(job.payload is not None for job in plan.jobs)
    rows: List[PathRow] = []
    scene_file = plan.snapshot.katana_file
    for entry in plan.assets.entries:
        kind = SCENE if entry.source == scene_file else ASSET
        rows.extend(_entry_rows(entry, kind, uploaded, planned))
    for entry in plan.extra_assets.entries:
        rows.extend(_entry_rows(entry, EXTRA, uploaded, planned))
    for job in plan.jobs:
        for output in job.outputs:
            rows.append(_row(OUTPUT, output.output_location, ON_FARM, source=output.name, nodes=job.name))
    return rows


def _entry_rows(entry, kind: str, uploaded: Set[str], planned: bool) -> List[PathRow]:
    if entry.missing:
        return [_row(kind, entry.location or entry.source, MISSING, source=entry.source)]
    rows = []
    for path in entry.files:
        # Before a job is built (e.g. a bad frame spec) every found file counts as uploaded.
        status = UPLOAD if (path in uploaded or not planned) else ON_FARM
        note = "" if status == UPLOAD else "under a job's output path: not uploaded"
        rows.append(_row(kind, path, status, source=entry.source if entry.source != path else "", note=note))
    return rows


def _row(kind: str, local: str, status: str, source: str = "", nodes: str = "", note: str = "") -> PathRow:
    farm = farm_path(local)
    problem = farm_problem(assets_mod.expand_env(farm)) if farm else "empty path"
    if problem:
        note = "; ".join(n for n in (note, "ciocore refuses it: " + problem) if n)
    return PathRow(kind=kind, local=local, farm=farm, status=status, source=source, nodes=nodes, note=note)


def counts(rows: List[PathRow]) -> Dict[str, int]:
    """How many rows have each status."""
    found = {status: 0 for status in STATUSES}
    for row in rows:
        found[row.status] = found.get(row.status, 0) + 1
    return found


def format_rows(rows: List[PathRow]) -> List[str]:
    """Lines for a terminal: status, kind, farm path, and the local path
    when it differs (plus the node of an output and any note)."""
    if not rows:
        return ["Paths: none"]
    summary = ", ".join("{} {}".format(n, s) for s, n in counts(rows).items() if n)
    lines = ["Paths ({}; as the Linux render node sees them: {})".format(len(rows), summary)]
    for row in rows:
        extra = []
        if row.local != row.farm:
            extra.append("from " + row.local)
        if row.nodes:
            extra.append("node " + row.nodes)
        if row.note:
            extra.append(row.note)
        lines.append("  {:<8} {:<11} {}{}".format(row.status, row.kind, row.farm, "  ({})".format("; ".join(extra)) if extra else ""))
    return lines
