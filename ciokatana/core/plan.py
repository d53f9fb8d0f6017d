"""Plan a submission: one job per Render node, with its payload.

Layer: core. :func:`plan_submission` is the single entry point used by the
command line, the dialog's worker thread and the Katana batch function. It
reads the disk (asset resolution), so the UI never calls it on the UI
thread. It never raises for a bad value typed by a user: each job keeps the
problems found while planning (bad frame spec, no output, ...) and
validation turns them into findings. Code that needs a payload checks
``job.payload`` (``None`` when the job cannot be built).
"""

from __future__ import annotations

import json
import os
import string
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from cioseq.sequence import Sequence

from ciokatana.core import assets as assets_mod
from ciokatana.core import frames as fr
from ciokatana.core import gsv
from ciokatana.core.command import TemplateError, template_fields
from ciokatana.core.payload import build_environment, build_payload
from ciokatana.core.redact import MIN_SECRET_LENGTH, is_secret_name, set_secret_values
from ciokatana.core.scene import RenderNode, RenderOutput, SceneSnapshot
from ciokatana.core.settings import Settings

TITLE_FIELDS = ("node", "scene", "project", "instance_type")
MAX_BUILT_TASKS = 100000


@dataclass
class Job:
    """One Render node's job: the effective values and what went wrong."""

    index: int
    node: RenderNode
    title: str = ""
    overridden: bool = False
    frame_spec: str = ""
    scout_spec: str = ""
    chunk_size_value: object = 1
    frames: Optional[Sequence] = None
    chunk_size: Optional[int] = None
    scout: Optional[Sequence] = None
    output_path: str = ""
    outputs: List[RenderOutput] = field(default_factory=list)
    problems: Dict[str, str] = field(default_factory=dict)
    payload: Optional[dict] = None
    var_set: Tuple[Tuple[str, str], ...] = ()
    key: str = ""

    @property
    def name(self) -> str:
        """The Render node's name (several jobs share it when the node has
        variable sets; :attr:`key` tells them apart)."""
        return self.node.name

    @property
    def where(self) -> str:
        """How findings name this job: ``Render node 'beauty' [shot=010]``."""
        return "Render node '{}'".format(self.node.name) + gsv.title_suffix(self.var_set)

    @property
    def label(self) -> str:
        """The node's name, with its variable values when it fans out."""
        return self.node.name + gsv.title_suffix(self.var_set)

    @property
    def task_count(self) -> Optional[int]:
        if self.frames is None or self.chunk_size is None:
            return None
        return fr.task_count(self.frames, self.chunk_size)


@dataclass
class Plan:
    """A whole submission: the scene snapshot, settings, assets and jobs."""

    snapshot: SceneSnapshot
    settings: Settings
    assets: assets_mod.ResolvedAssets
    extra_assets: assets_mod.ResolvedAssets
    jobs: List[Job] = field(default_factory=list)
    problems: Dict[str, str] = field(default_factory=dict)
    # Values masked by value in logs and recordings (see _secret_values);
    # a run of this plan keeps them masked while it lives (core.runner).
    secret_values: List[str] = field(default_factory=list)

    @property
    def payloads(self) -> List[dict]:
        return [j.payload for j in self.jobs if j.payload is not None]

    def job(self, key: str) -> Optional[Job]:
        """The job with this :attr:`Job.key` (``beauty``, or ``beauty
        [shot=010]`` for one of a node's variable sets); given a node name
        that is no job's key, the node's first job."""
        for job in self.jobs:
            if job.key == key:
                return job
        for job in self.jobs:
            if job.name == key:
                return job
        return None

    def jobs_of(self, name: str) -> List[Job]:
        """Every job of a Render node (one per variable set)."""
        return [job for job in self.jobs if job.name == name]

    def problem_lines(self) -> List[str]:
        """One line per problem that stops a payload from being built (the
        plan's, then each job's, named by Render node and variable set)."""
        lines = [str(msg) for msg in self.problems.values()]
        for job in self.jobs:
            for msg in job.problems.values():
                lines.append("Render node {!r}{}: {}".format(job.name, gsv.title_suffix(job.var_set), msg))
        return lines


def effective_farm_values(node: RenderNode, settings: Settings, snapshot: SceneSnapshot):
    """(overridden, frame_spec, scout_spec, chunk_size) for a node."""
    farm = node.farm_settings
    default_frames = settings.frame_spec.strip() or "{}-{}".format(*snapshot.frame_range)
    if farm.overrides:
        return True, (farm.frame_spec.strip() or default_frames), farm.scout_spec, farm.chunk_size
    return False, default_frames, settings.scout_spec, settings.chunk_size


def real_outputs(node: RenderNode, temp_dir: str) -> List[RenderOutput]:
    """Enabled outputs with an absolute location outside Katana's temp dir."""
    found = []
    for out in node.outputs:
        loc = out.output_location
        if not out.enabled or not loc or not assets_mod.is_absolute(loc):
            continue
        if temp_dir and assets_mod.under(loc, temp_dir):
            continue
        if out.temp_render_location and loc == out.temp_render_location:
            continue
        found.append(out)
    return found


def output_path_of(outputs: List[RenderOutput]) -> str:
    """The folder of one output, or the common folder of several."""
    folders = sorted({assets_mod.output_directory(o.output_location) for o in outputs})
    if not folders:
        return ""
    if len(folders) == 1:
        return folders[0]
    return assets_mod.common_dir(folders) or ""


def check_title_template(template: str) -> None:
    """Raise ValueError, naming the setting and the field, for a title
    template that is malformed, uses an unknown field, or gives a field a
    format spec or conversion (``{node:>99999999999}`` would ask for a
    100 GB title)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as err:
        raise ValueError("title template (title_template) {!r} is malformed: {}".format(template, err))
    for _lit, name, spec, conv in parsed:
        if name is None:
            continue
        if name not in TITLE_FIELDS:
            raise ValueError(
                "title template (title_template) uses unknown field {{{}}}: the fields are {}".format(
                    name, ", ".join("{" + f + "}" for f in TITLE_FIELDS)
                )
            )
        if spec or conv:
            raise ValueError(
                "title template (title_template) field {{{}}} has a format or conversion ({!r}); "
                "write it plain, e.g. {{{}}}".format(
                    name, "{" + name + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}", name)
            )


def render_title(template: str, values: Dict[str, str]) -> str:
    """Fill the job title template. Raises ValueError naming a bad field."""
    check_title_template(template)
    return template.format(**values).strip()


def _extra_base(snapshot: SceneSnapshot) -> str:
    return os.path.dirname(snapshot.katana_file) if snapshot.katana_file else os.getcwd()


def plan_submission(snapshot: SceneSnapshot, settings: Settings) -> Plan:
    """Resolve assets and build every job of a submission."""
    resolver = assets_mod.Resolver()
    scene_paths = list(snapshot.assets)
    if snapshot.katana_file:
        scene_paths.insert(0, snapshot.katana_file)
    scene_assets = resolver.resolve(scene_paths)
    resolver.base_dir = _extra_base(snapshot)
    extra_assets = resolver.resolve(settings.extra_assets)
    plan = Plan(snapshot=snapshot, settings=settings, assets=scene_assets, extra_assets=extra_assets)

    try:
        template_fields(settings.task_template)
    except TemplateError as err:
        plan.problems["task_template"] = str(err)
    try:
        environment = build_environment(settings)
    except ValueError as err:
        plan.problems["environment"] = "environment: {}".format(err)
        environment = {}

    upload_candidates = sorted(set(scene_assets.files) | set(extra_assets.files))
    units = [(node, var_set) for node in snapshot.nodes for var_set in (node.farm_settings.var_sets or ((),))]
    sets_seen = set()
    for index, (node, var_set) in enumerate(units):
        job = _plan_job(index, node, snapshot, settings, var_set)
        plan.jobs.append(job)
        same = (node.name, frozenset(var_set))
        if var_set and same in sets_seen:
            job.problems["var_sets"] = (
                "the variable set {} is listed twice for this node: each set is its own job, so it would be "
                "rendered and billed twice; remove the repeat".format(gsv.format_var_set(var_set)))
        sets_seen.add(same)
        if job.problems or plan.problems:
            continue
        count = job.task_count or 0
        if count > MAX_BUILT_TASKS:
            job.problems["tasks"] = "{} would make {:,} tasks; ciokatana builds at most {:,}".format(
                job.label, count, MAX_BUILT_TASKS
            )
            continue
        uploads = [p for p in upload_candidates if not assets_mod.under(p, job.output_path)]
        job.payload = build_payload(job, snapshot, settings, environment, uploads)
    _give_keys(plan.jobs)
    plan.secret_values = _secret_values(plan, environment)
    set_secret_values(plan.secret_values)
    return plan


def _give_keys(jobs: List[Job]) -> None:
    """A unique key per job: its label (node and variable values), with
    ``#2``... for a repeat (a duplicate set, which validation refuses)."""
    seen: Dict[str, int] = {}
    for job in jobs:
        key = job.label
        seen[key] = seen.get(key, 0) + 1
        job.key = key if seen[key] == 1 else "{} #{}".format(key, seen[key])


def _secret_values(plan: Plan, environment: Dict[str, str]) -> List[str]:
    """The values to mask by value in logs and recordings: those of
    secret-named environment variables, except a value that is also a
    plain part of a payload or of another variable (``API_TOKEN=beauty``
    with a node ``beauty``: masking it would hide the node's name)."""
    secret = {name: value for name, value in environment.items() if is_secret_name(name)}
    values = {v for v in secret.values() if isinstance(v, str) and len(v) >= MIN_SECRET_LENGTH}
    if not values:
        return []
    texts = ["\n".join("{}\n{}".format(k, v) for k, v in environment.items() if k not in secret)]
    texts.append("\n".join(secret))
    for job in plan.jobs:
        texts.extend((job.title, job.name, job.output_path))
        texts.extend(v for pair in job.var_set for v in pair)
        payload = job.payload or {}
        for key, item in payload.items():
            if key == "environment":
                continue
            if key == "tasks_data":
                texts.append("\n".join("{}\n{}".format(t.get("command", ""), t.get("frames", "")) for t in item))
            else:
                texts.append(json.dumps(item, ensure_ascii=False))
    text = "\n".join(str(t) for t in texts)
    return sorted(v for v in values if v not in text and json.dumps(v, ensure_ascii=False)[1:-1] not in text)


def _plan_job(index: int, node: RenderNode, snapshot: SceneSnapshot, settings: Settings, var_set=()) -> Job:
    overridden, frame_spec, scout_spec, chunk_value = effective_farm_values(node, settings, snapshot)
    job = Job(
        index=index,
        node=node,
        overridden=overridden,
        frame_spec=frame_spec,
        scout_spec=scout_spec,
        chunk_size_value=chunk_value,
        var_set=tuple(var_set),
    )
    bad = gsv.bad_names([job.var_set])
    if bad:
        job.problems["var_sets"] = "Graph State Variable name(s) {} are not valid: {}: {}".format(
            ", ".join(repr(n) for n in bad), gsv.NAME_HELP, "rename the variable in the node's Conductor variable sets")
    try:
        job.frames = fr.parse_frames(frame_spec)
    except fr.FrameSpecError as err:
        job.problems["frames"] = str(err)
    try:
        job.chunk_size = fr.parse_chunk_size(chunk_value)
    except fr.FrameSpecError as err:
        job.problems["chunk_size"] = str(err)
    if job.frames is not None:
        try:
            job.scout = fr.scout_frames(scout_spec, job.frames)
        except fr.FrameSpecError as err:
            job.problems["scout"] = str(err)
    job.outputs = real_outputs(node, snapshot.temp_dir)
    job.output_path = output_path_of(job.outputs)
    if not job.outputs:
        job.problems["outputs"] = "no enabled render output with an absolute location"
    elif not job.output_path or job.output_path in ("/",):
        job.problems["outputs"] = "its outputs share no folder below the root ({})".format(
            ", ".join(o.output_location for o in job.outputs)
        )
    try:
        job.title = render_title(
            settings.title_template,
            {
                "node": node.name,
                "scene": snapshot.scene_name,
                "project": settings.project,
                "instance_type": settings.instance_type,
            },
        )
    except (ValueError, IndexError, KeyError) as err:
        job.problems["title"] = str(err)
    else:
        job.title += gsv.title_suffix(job.var_set)
    return job
