"""``ciokatana submit``, ``ciokatana demo`` and ``ciokatana sandbox``.

Layer: standalone. ``submit`` validates (errors stop it, warnings are
printed), then runs the jobs through the runner with live terminal
progress and prints one result line per job. It can record the run to a
mock file, replay a mock instead of submitting, or submit to an embedded
Conductor sandbox. ``demo`` is the main job on the embedded defaults: the
example shot, a generated sample show, and an embedded sandbox that keeps
its files between runs (so a second run uploads nothing).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from typing import Optional

from ciokatana.core import conductor
from ciokatana.core.mock import MockFileError, MockRecorder, MockReplay, check_mock_file
from ciokatana.core.redact import install_log_redaction
from ciokatana.core.runner import CANCELLED, ConductorSource, Runner, conductor_submit_factory
from ciokatana.core.settings import MAX_MOCK_INTERVAL
from ciokatana.core.validation import ERROR, validate
from ciokatana.standalone.options import UsageError, add_scene_arguments, add_setting_arguments, job_problem_lines
from ciokatana.standalone.sample_show import ensure_sample_show, sample_show_size
from ciokatana.core.console import TerminalReporter, human_size, print_findings, run_jobs

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 3
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


@contextmanager
def embedded_sandbox(storage_dir: Optional[str], home: str, out):
    """Start a sandbox and point ciocore at it for the duration."""
    from ciokatana.sandbox import Sandbox, configure_ciocore

    sandbox = Sandbox(storage_dir=storage_dir).start()
    try:
        with configure_ciocore(sandbox.url, sandbox.api_key, home) as cfg:
            out.write("Embedded Conductor sandbox at {} (throw-away API key; nothing leaves this machine)\n".format(sandbox.url))
            yield sandbox, cfg
    finally:
        sandbox.stop()


def submit_plan(plan, args, out, err, database_filepath: str = "", url: Optional[str] = None) -> int:
    """Validate and submit (or replay/record) a planned submission."""
    findings = validate(plan)
    if getattr(args, "mock", None):  # a replay submits nothing: software names are not looked up
        findings = [f for f in findings if f.rule != "unresolved_software"]
    print_findings(findings, err)
    if any(f.level == ERROR for f in findings):
        err.write("ciokatana submit: not submitted: fix the errors above ('ciokatana validate' lists them)\n")
        return EXIT_FAILED
    problems = job_problem_lines(plan)
    if problems:  # pragma: no cover - validation reports these as errors first
        for line in problems:
            err.write("ciokatana submit: {}\n".format(line))
        return EXIT_FAILED
    mock = getattr(args, "mock", None)
    if mock:
        check_mock_file(mock)
        source = MockReplay(mock, interval=args.interval)
        url = None
    else:
        source = ConductorSource(plan.payloads, submit_factory=conductor_submit_factory(database_filepath))
    recorder = MockRecorder(args.record) if getattr(args, "record", None) else None
    reporter = TerminalReporter(out, url=url, quiet=getattr(args, "quiet", False))
    started = time.monotonic()
    state = run_jobs(Runner(source, reporter, recorder), reporter, err)
    out.write(reporter.summary() + "\n")
    if recorder is not None:
        out.write("Recorded {} event(s) to {}\n".format(recorder.count, args.record))
    out.write("Finished in {:.1f} s\n".format(time.monotonic() - started))
    if state == CANCELLED:
        return EXIT_INTERRUPTED
    return EXIT_OK if reporter.all_ok else EXIT_FAILED


def cmd_submit(args, load_plan) -> int:
    install_log_redaction()
    out, err = sys.stdout, sys.stderr
    if args.mock and args.sandbox:
        raise UsageError("--mock replays a file and submits nothing; leave out --sandbox")
    if not 0 <= args.interval <= MAX_MOCK_INTERVAL:  # also refuses nan and 1e300
        raise UsageError("--interval {} is not a usable number of seconds: use 0 to {:g}".format(
            args.interval, MAX_MOCK_INTERVAL))
    if args.mock:
        try:
            check_mock_file(args.mock)
        except MockFileError as error:
            raise UsageError(str(error))
    if args.record and not os.path.isdir(os.path.dirname(os.path.abspath(args.record))):
        raise UsageError("--record {}: its folder does not exist".format(args.record))
    if args.sandbox:
        home = tempfile.mkdtemp(prefix="ciokatana-sandbox-home-")
        try:
            with embedded_sandbox(None, home, out) as (sandbox, cfg):
                _scene, plan = load_plan(args)  # software names resolve against the sandbox
                return submit_plan(plan, args, out, err, cfg.database_filepath, sandbox.url)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    _scene, plan = load_plan(args)
    if not args.mock:
        try:
            conductor.check_credentials()
        except conductor.ConductorError as error:
            raise UsageError(str(error))
    return submit_plan(plan, args, out, err, url=None if args.mock else conductor.service_url())


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
            written, count, human_size(total), os.path.join(folder, "sample_show")))
    else:
        out.write("Sample show present: {} file(s), {} in {}\n".format(count, human_size(size), os.path.join(folder, "sample_show")))
    return os.path.join(folder, DEMO_SCENE)


def cmd_demo(args, load_plan) -> int:
    install_log_redaction()
    out, err = sys.stdout, sys.stderr
    folder = os.path.abspath(args.dir or default_demo_dir())
    try:
        scene_path = prepare_demo(folder, out)
    except OSError as error:
        raise UsageError("cannot prepare the demo in {}: {}".format(folder, error.strerror or error))
    args.scene = scene_path
    _scene, plan = load_plan(args)
    home = os.path.join(folder, ".conductor-home")
    os.makedirs(home, exist_ok=True)
    with embedded_sandbox(os.path.join(folder, ".sandbox"), home, out) as (sandbox, cfg):
        return submit_plan(plan, args, out, err, cfg.database_filepath, sandbox.url)


def add_run_arguments(parser) -> None:
    parser.add_argument("--record", metavar="FILE", help="record the run's events to a mock file")
    parser.add_argument("--quiet", action="store_true", help="print only the results")


def register(sub, load_plan) -> None:
    submit = sub.add_parser("submit", help="validate, then submit every Render node in scope as a Conductor job")
    add_scene_arguments(submit)
    add_setting_arguments(submit)
    add_run_arguments(submit)
    submit.add_argument("--sandbox", action="store_true", help="submit to an embedded local Conductor sandbox")
    submit.add_argument("--mock", metavar="FILE", help="replay a mock file instead of submitting")
    submit.add_argument("--interval", type=float, default=0.0, metavar="S", help="seconds between replayed events (default 0)")
    submit.set_defaults(func=lambda a: cmd_submit(a, load_plan))

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
    demo.set_defaults(func=lambda a: cmd_demo(a, load_plan), mock=None, interval=0.0)

    # 'ciokatana sandbox ARGS' is handed to the sandbox's own parser by cli.main.
    sub.add_parser("sandbox", help="run the local Conductor sandbox (see 'ciokatana sandbox --help')", add_help=False)
