"""Read a scene file with the command line's setting flags applied.

Layer: standalone. Every subcommand that plans a submission (preview,
validate, submit, demo) starts here, so none of them has to reach into
another subcommand's module for it.
"""

from __future__ import annotations

from ciokatana.core.filescene import FileScene
from ciokatana.core.plan import plan_submission
from ciokatana.core.settings import Settings
from ciokatana.standalone.options import apply_setting_arguments


def load_scene(args):
    """(scene, settings): the scene file and its settings with the flags applied.

    Raises SceneError / UsageError.
    """
    scene = FileScene(args.scene, nodes=args.node)
    settings = apply_setting_arguments(Settings.from_dict(scene.load_settings()), args)
    return scene, settings


def load_plan(args):
    """Read the scene, apply flags, plan. Raises SceneError / UsageError."""
    scene, settings = load_scene(args)
    return scene, plan_submission(scene.snapshot(), settings)
