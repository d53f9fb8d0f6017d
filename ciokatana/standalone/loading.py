"""Read a scene file with the command line's flags applied.

Layer: standalone. Every subcommand that plans a submission (preview,
validate, submit, demo) starts here, so none of them has to reach into
another subcommand's module for it.
"""

from __future__ import annotations

from ciokatana.core import conductor
from ciokatana.core.filescene import FileScene
from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import Settings
from ciokatana.standalone.options import UsageError, apply_setting_arguments, var_sets_argument


def load_scene(args):
    """(scene, settings, snapshot): the scene file, its settings with the flags
    applied (software names resolved through Conductor when there are any),
    and its snapshot with any ``--var-set``. Raises SceneError / UsageError."""
    scene = FileScene(args.scene, nodes=args.node)
    settings = apply_setting_arguments(Settings.from_dict(scene.load_settings()), args)
    var_sets = var_sets_argument(args)
    katana, renderers = getattr(args, "software", None), getattr(args, "renderer", None) or []
    replay = bool(getattr(args, "mock", None))  # a replay submits nothing: no package list needed
    if not replay and conductor.needs_resolving(settings, katana, renderers):
        settings = resolve_software(settings, katana, renderers, sandbox=getattr(args, "sandbox", False))
    snapshot = scene.snapshot()
    if var_sets is not None:
        snapshot = snapshot.with_var_sets(var_sets)
    return scene, settings, snapshot


def load_plan(args):
    """Read the scene, apply flags, resolve software names, plan. Raises SceneError / UsageError."""
    scene, settings, snapshot = load_scene(args)
    return scene, plan_submission(snapshot, settings)


def resolve_software(settings, katana, renderers, sandbox=False):
    """Software names to packages through Conductor's package list."""
    where = "--software/--renderer" if (katana or renderers) else "the scene's software names"
    try:
        data = conductor.fetch(force=True)
    except conductor.ConductorError as err:
        raise UsageError("{} need Conductor's package list, which is out of reach: {}{}".format(
            where, err, "" if sandbox else "; or add --sandbox"))
    try:
        return conductor.resolve_software(settings, data, katana, renderers)
    except conductor.SoftwareError as err:
        raise UsageError(str(err))
