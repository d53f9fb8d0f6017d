"""``ciokatana submit``.

Layer: standalone. ``submit`` reads the scene, prepares and validates the
submission (:func:`ciokatana.core.submission.prepare`; errors stop it,
warnings are printed), then runs it in the terminal
(:func:`ciokatana.core.submission.run_in_terminal`): live progress, one
result line per job. By default every job's files are uploaded once and
then the jobs are created (``--uploader shared``); ``--uploader stock``
runs ciocore's own ``Submit`` per job. It can record the run to a mock
file, replay a mock instead of submitting, or submit to an embedded
Conductor sandbox. ``ciokatana demo`` (:mod:`ciokatana.standalone.demo`)
runs the same path on the example shot.
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import tempfile
from typing import Optional

from ciokatana.core import conductor, submission
from ciokatana.core.console import print_findings
from ciokatana.core.mock import check_mock_file
from ciokatana.core.redact import install_log_redaction
from ciokatana.core.settings import MAX_MOCK_INTERVAL, UPLOADERS
from ciokatana.core.validation import ERROR
from ciokatana.standalone.embedded import embedded_sandbox
from ciokatana.standalone.exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK
from ciokatana.standalone.loading import load_scene
from ciokatana.standalone.options import UsageError, add_scene_arguments, add_setting_arguments


def apply_run_arguments(settings, args):
    """The settings with ``--uploader`` and ``--timeout`` applied. Raises UsageError."""
    uploader = getattr(args, "uploader", None)
    if uploader is not None:
        settings.uploader = uploader
    timeout = getattr(args, "timeout", None)
    if timeout is not None:
        if not (math.isfinite(timeout) and timeout > 0):
            raise UsageError("--timeout {} must be a number of seconds above 0, e.g. --timeout 120".format(timeout))
        settings.timeout = float(timeout)
    return settings


def prepare_args(args):
    """Read the scene (flags applied) and prepare the submission; vet --mock once.

    Raises UsageError for a bad mock file (before anything is submitted).
    """
    _scene, settings, snapshot = load_scene(args)
    settings = apply_run_arguments(settings, args)
    mock = getattr(args, "mock", None)
    prepared = submission.prepare(snapshot, settings, check_mock=(lambda: check_mock_file(mock)) if mock else None)
    if prepared.mock_error:
        raise UsageError(prepared.mock_error)
    return prepared


def submit_prepared(prepared, args, out, err, database_filepath: str = "", url: Optional[str] = None) -> int:
    """Print the findings, refuse on errors, else run the submission (or replay); the exit code."""
    findings = prepared.findings
    if getattr(args, "mock", None):  # a replay submits nothing: software names are not looked up
        findings = [f for f in findings if f.rule != "unresolved_software"]
    print_findings(findings, err)
    if any(f.level == ERROR for f in findings):
        err.write("ciokatana submit: not submitted: fix the errors above ('ciokatana validate' lists them)\n")
        return EXIT_FAILED
    settings = prepared.plan.settings
    mock = getattr(args, "mock", None)
    spec = submission.SourceSpec(
        replay_file=mock or "",
        interval=getattr(args, "interval", 0.0),
        record_file=getattr(args, "record", None) or "",
        uploader=settings.uploader,
        timeout=settings.timeout,
        database_filepath=database_filepath,
        url=None if mock else url,
    )
    try:
        run = submission.run_in_terminal(prepared, spec, out, err, quiet=getattr(args, "quiet", False),
                                         url=None if mock else url)
    except submission.SourceError as error:
        raise UsageError(str(error))
    if run.cancelled:
        return EXIT_INTERRUPTED
    return EXIT_OK if run.ok else EXIT_FAILED


def cmd_submit(args) -> int:
    install_log_redaction()
    out, err = sys.stdout, sys.stderr
    if args.mock and args.sandbox:
        raise UsageError("--mock replays a file and submits nothing; leave out --sandbox")
    if not 0 <= args.interval <= MAX_MOCK_INTERVAL:  # also refuses nan and 1e300
        raise UsageError("--interval {} is not a usable number of seconds: use 0 to {:g}".format(
            args.interval, MAX_MOCK_INTERVAL))
    if args.record and not os.path.isdir(os.path.dirname(os.path.abspath(args.record))):
        raise UsageError("--record {}: its folder does not exist".format(args.record))
    if args.sandbox:
        home = tempfile.mkdtemp(prefix="ciokatana-sandbox-home-")
        try:
            with embedded_sandbox(None, home, out) as (sandbox, cfg):
                prepared = prepare_args(args)  # software names resolve against the sandbox
                return submit_prepared(prepared, args, out, err, cfg.database_filepath, sandbox.url)
        finally:
            shutil.rmtree(home, ignore_errors=True)
    prepared = prepare_args(args)
    if not args.mock:
        try:
            conductor.check_credentials()
        except conductor.ConductorError as error:
            raise UsageError(str(error))
    return submit_prepared(prepared, args, out, err, url=None if args.mock else conductor.service_url())


def add_run_arguments(parser) -> None:
    parser.add_argument("--record", metavar="FILE", help="record the run's events to a mock file")
    parser.add_argument("--quiet", action="store_true", help="print only the results")
    parser.add_argument(
        "--uploader",
        choices=UPLOADERS,
        help="shared (default): upload every job's files once, then create the jobs; "
        "stock: ciocore's own uploader per job (about 10 s a job)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="end a step that gets no answer and makes no progress for S seconds (default 120)",
    )


def register(sub) -> None:
    submit = sub.add_parser("submit", help="validate, then submit every Render node in scope as a Conductor job")
    add_scene_arguments(submit)
    add_setting_arguments(submit)
    add_run_arguments(submit)
    submit.add_argument("--sandbox", action="store_true", help="submit to an embedded local Conductor sandbox")
    submit.add_argument("--mock", metavar="FILE", help="replay a mock file instead of submitting")
    submit.add_argument("--interval", type=float, default=0.0, metavar="S", help="seconds between replayed events (default 0)")
    submit.set_defaults(func=cmd_submit)


_MOVED_TO_DEMO = ("DEMO_SCENE", "cmd_demo", "default_demo_dir", "examples_dir", "prepare_demo")


def __getattr__(name):
    """The demo's names, for scripts written when it lived here (now ``standalone/demo.py``, which imports
    this module, so they are looked up when asked for)."""
    if name in _MOVED_TO_DEMO:
        from ciokatana.standalone import demo

        return getattr(demo, name)
    raise AttributeError("module {!r} has no attribute {!r}".format(__name__, name))
