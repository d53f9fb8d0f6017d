"""``ciokatana demo``: the main job on the embedded defaults.

Layer: standalone. Copies the example shot (``examples/``) to a working
folder, generates its sample show, starts an embedded Conductor sandbox
that keeps its files in that folder (so a second run uploads nothing) and
submits every Render node exactly as ``ciokatana submit`` does
(:func:`ciokatana.standalone.submit.submit_prepared`).
"""

from __future__ import annotations

import os
import shutil
import sys

from ciokatana.core.redact import install_log_redaction
from ciokatana.core.units import human_bytes
from ciokatana.standalone.embedded import embedded_sandbox
from ciokatana.standalone.options import UsageError, add_setting_arguments
from ciokatana.standalone.sample_show import ensure_sample_show, sample_show_size
from ciokatana.standalone.submit import add_run_arguments, prepare_args, submit_prepared

DEMO_SCENE = "shot010.json"


def examples_dir() -> str:
    """The bundled examples: installed package data, else the repository's."""
    try:
        import ciokatana.examples as pkg

        folder = os.path.dirname(pkg.__file__ or "") or list(pkg.__path__)[0]
    except ImportError:
        folder = ""
    if folder and os.path.isfile(os.path.join(folder, DEMO_SCENE)):
        return folder
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.path.join(here, "examples")


def default_demo_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ciokatana", "demo")


def prepare_demo(folder: str, out) -> str:
    """Copy the example shot into folder and create its sample show."""
    os.makedirs(folder, exist_ok=True)
    source = examples_dir()
    for name in (DEMO_SCENE, "shot010_lighting_v003.katana"):
        target = os.path.join(folder, name)
        if not os.path.exists(target) or name == DEMO_SCENE:
            shutil.copyfile(os.path.join(source, name), target)
    count, size = sample_show_size()
    written, total = ensure_sample_show(folder)
    if written:
        out.write("Generated the sample show: {} of {} file(s), {} in {}\n".format(
            written, count, human_bytes(total), os.path.join(folder, "sample_show")))
    else:
        out.write("Sample show present: {} file(s), {} in {}\n".format(count, human_bytes(size), os.path.join(folder, "sample_show")))
    return os.path.join(folder, DEMO_SCENE)


def cmd_demo(args) -> int:
    install_log_redaction()
    out, err = sys.stdout, sys.stderr
    folder = os.path.abspath(args.dir or default_demo_dir())
    try:
        scene_path = prepare_demo(folder, out)
    except OSError as error:
        raise UsageError("cannot prepare the demo in {}: {}".format(folder, error.strerror or error))
    args.scene = scene_path
    prepared = prepare_args(args)
    home = os.path.join(folder, ".conductor-home")
    os.makedirs(home, exist_ok=True)
    with embedded_sandbox(os.path.join(folder, ".sandbox"), home, out) as (sandbox, cfg):
        return submit_prepared(prepared, args, out, err, cfg.database_filepath, sandbox.url)


def register(sub) -> None:
    demo = sub.add_parser(
        "demo",
        help="the main job on the embedded defaults: submit the example shot to an embedded sandbox",
        description="Copies the example shot to DIR, generates its sample show (a few MB) if missing, "
        "starts an embedded Conductor sandbox that keeps its files in DIR, and submits every Render "
        "node. A second run uploads nothing: the files are already there.",
    )
    demo.add_argument("--node", action="append", default=[], metavar="NAME", help="submit only this Render node (repeatable)")
    add_setting_arguments(demo)
    add_run_arguments(demo)
    demo.add_argument("--dir", metavar="DIR", help="working folder (default: {})".format(default_demo_dir()))
    demo.set_defaults(func=cmd_demo, mock=None, interval=0.0)
