"""The ``ciokatana`` command line.

Layer: standalone. Subcommands plan, check and submit a scene file outside
Katana, so pipelines can script the submitter and a new user can try it at
once. Every failure a user can cause ends in one line on stderr naming the
problem and a non-zero exit, never a traceback (``--debug`` shows one).

Exit codes: 0 success, 1 validation errors or failed jobs, 2 bad input,
3 interrupted, 70 internal error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from typing import List, Optional

from ciokatana import __version__
from ciokatana.core.frames import FrameSpecError
from ciokatana.core.mock import MockFileError
from ciokatana.core.redact import redact
from ciokatana.core.scene import SceneError
from ciokatana.core.validation import ERROR, LEVELS, NOTICE, WARNING, by_level, has_errors, validate
from ciokatana.standalone import gui, install, submit
from ciokatana.standalone.loading import load_plan
from ciokatana.standalone.options import (
    UsageError,
    add_scene_arguments,
    add_setting_arguments,
    job_problem_lines,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_INTERNAL = 0, 1, 2, 3, 70

SYMBOLS = {ERROR: "x", WARNING: "!", NOTICE: "i"}
TITLES = {ERROR: "Errors", WARNING: "Warnings", NOTICE: "Notices"}


def cmd_preview(args) -> int:
    _scene, plan = load_plan(args)
    problems = job_problem_lines(plan)
    if problems:
        for line in problems:
            _err("preview", line)
        _err("preview", "no payload printed; run 'ciokatana validate' for every finding")
        return EXIT_USAGE
    json.dump([redact(p) for p in plan.payloads], sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return EXIT_OK


def format_findings(findings) -> str:
    lines = []
    for level in LEVELS:
        group = by_level(findings, level)
        if not group:
            continue
        lines.append("{} ({})".format(TITLES[level], len(group)))
        for finding in group:
            lines.append("  [{}] {}".format(SYMBOLS[level], finding))
            for detail in finding.details:
                lines.append("        {}".format(detail))
    if not findings:
        lines.append("No problems found.")
    return "\n".join(lines)


def cmd_validate(args) -> int:
    _scene, plan = load_plan(args)
    findings = validate(plan)
    if args.json:
        data = [
            {"level": f.level, "rule": f.rule, "where": f.where, "message": f.message, "details": list(f.details)}
            for f in findings
        ]
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_findings(findings))
    return EXIT_FAILED if has_errors(findings) else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ciokatana",
        description="Submit Katana Render nodes to Conductor, outside Katana or from a pipeline.",
    )
    parser.add_argument("--version", action="version", version="ciokatana " + __version__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    preview = sub.add_parser("preview", help="print the job payloads as JSON (one per Render node)")
    add_scene_arguments(preview)
    add_setting_arguments(preview)
    preview.set_defaults(func=cmd_preview)

    check = sub.add_parser("validate", help="check a submission; exits 1 on errors")
    add_scene_arguments(check)
    add_setting_arguments(check)
    check.add_argument("--json", action="store_true", help="print findings as JSON")
    check.set_defaults(func=cmd_validate)

    submit.register(sub)
    install.register(sub)
    gui.register(sub)
    return parser


def _err(command: str, message: str) -> None:
    sys.stderr.write("ciokatana {}: {}\n".format(command, message))


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        from ciokatana.sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not args.debug:
        # ciocore logs routine steps ("draining queues") at ERROR; real
        # failures reach the user through the runner's error events.
        logging.getLogger("conductor").setLevel(logging.CRITICAL)
    try:
        return args.func(args)
    except (SceneError, UsageError, FrameSpecError, MockFileError) as err:
        _err(args.command, str(err))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err(args.command, "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK
    except Exception as err:
        if args.debug:
            traceback.print_exc()
        _err(args.command, "internal error: {}: {} (rerun with --debug for details)".format(type(err).__name__, err))
        return EXIT_INTERNAL


def console_main() -> None:  # pragma: no cover - entry point
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    console_main()
