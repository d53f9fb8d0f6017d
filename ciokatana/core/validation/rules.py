"""The built-in validation rules.

Layer: core. Each rule is a registered function of a
:class:`~ciokatana.core.validation.Context`; see the package docstring.
"""

from __future__ import annotations

import math
import re
from typing import Iterable, List

from ciokatana.core import assets as assets_mod
from ciokatana.core.scene import is_asset_id
from ciokatana.core.validation import ERROR, NOTICE, WARNING, Context, Finding, validator
from ciokatana.core.wording import plain_error

GPU_RENDERERS = ("redshift", "octane", "xpu", "gpu")
_GPU_NAME = re.compile(r"(gpu|nvidia|tesla|rtx|quadro|[-_.](t4|v100|a100|a10g?|l4|l40s?|p100|k80|h100)\b|^(g4dn|g5|g6|p2|p3|p4d?|p5)\.)", re.IGNORECASE)

MAX_LISTED = 20

#: Katana render service ids -> the word their Conductor plugin packages carry.
RENDERER_FAMILIES = {
    "prman": "renderman",
    "renderman": "renderman",
    "arnold": "arnold",
    "dl": "3delight",
    "3delight": "3delight",
    "redshift": "redshift",
    "vray": "vray",
    "octane": "octane",
}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RANGE = re.compile(r"^(-?\d+)-(-?\d+)(?:x(\d+))?$")


def _where(job) -> str:
    return job.where


def _listing(paths: List[str]) -> tuple:
    shown = list(paths[:MAX_LISTED])
    if len(paths) > MAX_LISTED:
        shown.append("... and {} more".format(len(paths) - MAX_LISTED))
    return tuple(shown)


@validator
def scope(ctx: Context) -> Iterable[Finding]:
    if not ctx.plan.jobs:
        yield Finding(
            ERROR,
            "no_render_nodes",
            "Scene",
            "has no Render node in scope: add a Render node, or select the ones to submit",
        )


@validator
def scene_saved(ctx: Context) -> Iterable[Finding]:
    snap = ctx.plan.snapshot
    if not snap.katana_file:
        yield Finding(
            ERROR,
            "unsaved_scene",
            "Scene",
            "has never been saved: the farm renders the saved Katana file, so save the scene first",
        )
    elif is_asset_id(snap.katana_file):
        # The Katana reader reports an id its asset plug-in could not resolve
        # as a note (with the plug-in's reason); say it here only when none did
        # (a hand-written or older scene file).
        if not any(n.rule == "unresolved_scene" for n in getattr(snap, "notes", ())):
            yield Finding(
                ERROR,
                "unresolved_scene",
                "Scene file",
                "is the asset id {}, not a file: the farm needs the .katana file itself; export the scene "
                "again from a Katana whose asset plug-in resolves it, or set katana_file to the file's "
                "path".format(snap.katana_file),
            )
    elif snap.katana_file in ctx.plan.assets.missing:
        yield Finding(
            ERROR,
            "scene_file_missing",
            "Scene",
            "file {} does not exist on disk, so it cannot be uploaded: save the scene again".format(
                snap.katana_file
            ),
        )
    if snap.katana_file and snap.dirty:
        yield Finding(
            WARNING,
            "unsaved_changes",
            "Scene",
            "has unsaved changes: the farm renders the file as last saved ({}); save to include them".format(
                snap.katana_file
            ),
        )


@validator
def required_settings(ctx: Context) -> Iterable[Finding]:
    settings = ctx.plan.settings
    if not settings.project:
        yield Finding(ERROR, "no_project", "Setting 'Project'", "is empty: choose a Conductor project")
    elif ctx.projects is not None and settings.project not in ctx.projects:
        yield Finding(
            ERROR,
            "unknown_project",
            "Setting 'Project'",
            "{!r} is not an active project of this account: choose one of {}".format(
                settings.project, ", ".join(ctx.projects) or "(none)"
            ),
        )
    if not settings.instance_type:
        yield Finding(ERROR, "no_instance_type", "Setting 'Instance type'", "is empty: choose a machine type")
    elif ctx.instance_types is not None and settings.instance_type not in ctx.instance_types:
        yield Finding(
            ERROR,
            "unknown_instance_type",
            "Setting 'Instance type'",
            "{!r} is not offered to this account: choose another machine type".format(settings.instance_type),
        )
    unresolved = [p.path for p in settings.software if not p.package_id]
    if unresolved:
        yield Finding(
            ERROR,
            "unresolved_software",
            "Setting 'Software'",
            "{} named but not looked up on Conductor, so the job would carry no package for it: "
            "choose it in the Software section, or pass --software/--renderer".format(
                ", ".join(repr(p) for p in unresolved)),
        )
    if settings.katana_package is None:
        yield Finding(
            ERROR,
            "no_katana_package",
            "Setting 'Katana version'",
            "is empty: choose the Katana version the farm should render with",
        )


@validator
def scene_notes(ctx: Context) -> Iterable[Finding]:
    """What the scene reader reported (bypassed Render nodes, unresolved asset ids)."""
    for note in getattr(ctx.plan.snapshot, "notes", ()):
        level = note.level if note.level in (ERROR, WARNING, NOTICE) else WARNING
        yield Finding(level, note.rule, note.where, note.message)


@validator
def plan_problems(ctx: Context) -> Iterable[Finding]:
    for key, message in ctx.plan.problems.items():
        label = {"task_template": "Setting 'Task template'", "environment": "Setting 'Environment'"}.get(
            key, "Settings"
        )
        yield Finding(ERROR, "bad_" + key, label, plain_error(message))


# Advice for problems whose message does not already say how to fix them
# (frame, scout and chunk-size messages carry their own).
_JOB_FIXES = {
    "outputs": "enable an output with an absolute file location (RenderOutputDefine)",
    "title": "fix the job title template",
    "tasks": "raise the chunk size",
}


@validator
def job_values(ctx: Context) -> Iterable[Finding]:
    for job in ctx.plan.jobs:
        source = " (node override)" if job.overridden else " (submitter default)"
        for key, message in job.problems.items():
            where = _where(job)
            if key in ("frames", "scout", "chunk_size"):
                where += source
            fix = _JOB_FIXES.get(key)
            message = plain_error(message)
            yield Finding(ERROR, "bad_" + key, where, "{}: {}".format(message, fix) if fix else message)


@validator
def task_limit(ctx: Context) -> Iterable[Finding]:
    for job in ctx.plan.jobs:
        count = job.task_count
        if count is None or count <= ctx.task_limit:
            continue
        needed = int(math.ceil(len(job.frames) / float(ctx.task_limit)))
        yield Finding(
            ERROR,
            "task_limit",
            _where(job),
            "makes {:,} tasks ({:,} frames at chunk size {}), over the limit of {:,}: "
            "raise the chunk size to at least {} or narrow the frame spec".format(
                count, len(job.frames), job.chunk_size, ctx.task_limit, needed
            ),
        )


@validator
def chunking(ctx: Context) -> Iterable[Finding]:
    for job in ctx.plan.jobs:
        if job.chunk_size and job.chunk_size > 1 and job.frames is not None:
            yield Finding(
                NOTICE,
                "chunk_size",
                _where(job),
                "renders up to {} frames per task ({} tasks); a failed or preempted task redoes its "
                "whole chunk".format(job.chunk_size, job.task_count),
            )


@validator
def scout_coverage(ctx: Context) -> Iterable[Finding]:
    for job in ctx.plan.jobs:
        spec = (job.scout_spec or "").strip()
        if spec and job.frames is not None and "scout" not in job.problems and job.scout is None:
            yield Finding(
                WARNING,
                "scout_empty",
                _where(job),
                "scout spec {!r} names none of the job's frames ({}): all tasks start at once; "
                "fix the scout spec or leave it empty".format(spec, job.frame_spec),
            )


def is_gpu_instance(name: str, info=None) -> bool:
    if info is not None:
        return bool(info.get("gpu"))
    return bool(_GPU_NAME.search(name or ""))


@validator
def gpu_for_cpu_renderer(ctx: Context) -> Iterable[Finding]:
    settings = ctx.plan.settings
    name = settings.instance_type
    if not name:
        return
    info = (ctx.instance_types or {}).get(name)
    if not is_gpu_instance(name, info):
        return
    renderer_names = [p.product or p.name for p in settings.renderer_packages]
    for job in ctx.plan.jobs:
        names = [n.lower() for n in renderer_names + [job.node.renderer] if n]
        if any(any(tag in n for tag in GPU_RENDERERS) for n in names):
            continue
        renderer = job.node.renderer or ", ".join(renderer_names) or "its renderer"
        yield Finding(
            WARNING,
            "gpu_for_cpu_renderer",
            _where(job),
            "renders with {} on the CPU, but {!r} is a GPU machine: you pay for a GPU that is not "
            "used; choose a CPU instance type".format(renderer, name),
        )


@validator
def windows_paths(ctx: Context) -> Iterable[Finding]:
    plan = ctx.plan
    found = []
    if assets_mod.is_windows_path(plan.snapshot.katana_file):
        found.append(plan.snapshot.katana_file)
    for job in plan.jobs:
        for out in job.outputs:
            if assets_mod.is_windows_path(out.output_location):
                found.append(out.output_location)
    for path in list(plan.snapshot.assets) + list(plan.settings.extra_assets):
        if assets_mod.is_windows_path(path):
            found.append(path)
    found = sorted(set(found))
    if found:
        yield Finding(
            WARNING,
            "windows_paths",
            "Scene paths",
            "{} Windows path(s) will not resolve as written on Linux render nodes, which see them "
            "without the drive letter (C:\\shows\\a.exr -> /shows/a.exr); make references "
            "relative or mapped".format(len(found)),
            _listing(found),
        )


@validator
def special_files_in_folders(ctx: Context) -> Iterable[Finding]:
    skipped = sorted(set(ctx.plan.assets.skipped) | set(ctx.plan.extra_assets.skipped))
    if skipped:
        yield Finding(
            WARNING,
            "special_files_skipped",
            "Assets",
            "{} in asset folders {} not a regular file (a FIFO, socket, device or broken link) and "
            "will not be uploaded; remove {} from the folder, or list the files you need instead of "
            "the folder".format("1 entry" if len(skipped) == 1 else "{} entries".format(len(skipped)),
                                "is" if len(skipped) == 1 else "are", "it" if len(skipped) == 1 else "them"),
            _listing(skipped),
        )


@validator
def missing_assets(ctx: Context) -> Iterable[Finding]:
    scene_file = ctx.plan.snapshot.katana_file
    missing = [m for m in ctx.plan.assets.missing if m != scene_file] + ctx.plan.extra_assets.missing
    if missing:
        yield Finding(
            WARNING,
            "missing_assets",
            "Assets",
            "{} path(s) name no file on disk and will not be uploaded: the render will fail if it "
            "needs them; fix the paths or create the files".format(len(missing)),
            _listing(missing),
        )


@validator
def job_title(ctx: Context) -> Iterable[Finding]:
    """An empty title submits jobs named "" (the field's grey hint is not a value)."""
    template = ctx.plan.settings.title_template or ""
    if not template.strip():
        yield Finding(
            ERROR,
            "empty_title",
            "Setting 'Job title'",
            "is empty, so every job would reach the dashboard with no title: type one, e.g. Katana {scene} {node}",
        )
        return
    for job in ctx.plan.jobs:
        if "title" not in job.problems and not job.title.strip():
            yield Finding(
                ERROR,
                "empty_title",
                _where(job),
                "gets an empty job title from the template {!r}: add {{node}} or some text to the "
                "title".format(template),
            )


@validator
def renderer_plugin(ctx: Context) -> Iterable[Finding]:
    """The renderer plugin chosen in Software must be the one the Render nodes render with."""
    plugins = ctx.plan.settings.renderer_packages
    if not plugins:
        return
    names = [(p.product or p.name).lower() for p in plugins]
    shown = ", ".join(p.name for p in plugins)
    for job in ctx.plan.jobs:
        renderer = (job.node.renderer or "").strip()
        family = RENDERER_FAMILIES.get(renderer.lower())
        if family is None or any(family in name for name in names):
            continue
        yield Finding(
            WARNING,
            "renderer_plugin",
            _where(job),
            "renders with {} but the renderer plugin chosen is {}: choose a {} plugin in Software, or the "
            "render machines cannot load the renderer".format(renderer, shown, family),
        )


@validator
def environment_names(ctx: Context) -> Iterable[Finding]:
    for variable in ctx.plan.settings.environment:
        name = variable.name
        if not name or _ENV_NAME.match(name):
            continue
        if any(ch.isspace() for ch in name):
            what = "has a space in it"
        elif name[0].isdigit():
            what = "starts with a digit"
        else:
            what = "has characters a variable name cannot have"
        yield Finding(
            ERROR,
            "environment_name",
            "Setting 'Environment'",
            "variable name {!r} {}: use letters, digits and underscores only, e.g. {}".format(
                name, what, re.sub(r"\W+", "_", name.strip()).strip("_").upper() or "MY_VARIABLE"
            ),
        )


@validator
def descending_ranges(ctx: Context) -> Iterable[Finding]:
    """``10-1`` is read as ``1-10``: say so rather than let a typo pass silently."""
    for job in ctx.plan.jobs:
        source = " (node override)" if job.overridden else " (submitter default)"
        for label, spec in (("frame spec", job.frame_spec), ("scout spec", job.scout_spec)):
            for part in re.split(r"[\s,]+", spec or ""):
                match = _RANGE.match(part)
                if not match or int(match.group(1)) <= int(match.group(2)):
                    continue
                low, high = match.group(2), match.group(1)
                step = "x" + match.group(3) if match.group(3) else ""
                yield Finding(
                    WARNING,
                    "descending_range",
                    _where(job) + source,
                    "{} {!r} counts down, and is read as {}-{}{}: write it that way if that is what you "
                    "meant".format(label, part, low, high, step),
                )
