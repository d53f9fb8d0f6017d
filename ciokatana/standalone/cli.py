"""The ``ciokatana`` command line.

Layer: standalone. Subcommands plan, check and submit a scene file outside
Katana, so pipelines can script the submitter and a new user can try it at
once. Every failure a user can cause ends in one line on stderr naming the
problem and a non-zero exit, never a traceback (``--debug`` shows one).

Exit codes (:mod:`ciokatana.standalone.exit_codes`): 0 success, 1 validation
errors or failed jobs, 2 bad input, 3 interrupted, 70 internal error.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
import threading
import traceback
from contextlib import contextmanager
from typing import List, Optional

from ciokatana import __version__
from ciokatana.core import conductor, pathmap
from ciokatana.core import estimate as estimate_mod
from ciokatana.core.filescene import SceneFormatError
from ciokatana.core.frames import FrameSpecError
from ciokatana.core.mock import MockFileError
from ciokatana.core.printable import PrintableFormatter, json_printable, printable
from ciokatana.core.redact import install_log_redaction, redact_payload
from ciokatana.core.runner import BackgroundCall
from ciokatana.core.scene import SceneError
from ciokatana.core.validation import ERROR, LEVELS, NOTICE, WARNING, Finding, by_level, has_errors, validate
from ciokatana.standalone import demo, gui, install, submit
from ciokatana.standalone.embedded import embedded_sandbox
from ciokatana.standalone.exit_codes import EXIT_FAILED, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from ciokatana.standalone.loading import load_plan
from ciokatana.standalone.options import UsageError, add_scene_arguments, add_setting_arguments

SYMBOLS = {ERROR: "x", WARNING: "!", NOTICE: "i"}
TITLES = {ERROR: "Errors", WARNING: "Warnings", NOTICE: "Notices"}


@contextmanager
def conductor_session(args):
    """With --sandbox, an embedded sandbox ciocore points at for the block."""
    if not getattr(args, "sandbox", False):
        yield
        return
    home = tempfile.mkdtemp(prefix="ciokatana-sandbox-home-")
    try:
        with embedded_sandbox(None, home, sys.stderr):
            yield
    finally:
        shutil.rmtree(home, ignore_errors=True)


def cmd_preview(args) -> int:
    with conductor_session(args):
        _scene, plan = load_plan(args)
    problems = plan.problem_lines()
    if problems:
        for line in problems:
            _err("preview", line)
        _err("preview", "no payload printed; run 'ciokatana validate' for every finding")
        return EXIT_USAGE
    # One write: json.dump's thousands of small writes cost more than the encoding.
    text = json.dumps([redact_payload(p) for p in plan.payloads], indent=2, ensure_ascii=False)
    sys.stdout.write(json_printable(text) + "\n")
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
    return "\n".join(printable(line) for line in lines)


def scene_format_findings(err: SceneFormatError) -> List[Finding]:
    """One error finding per key of a scene file that breaks the schema."""
    return [
        Finding(ERROR, "scene_format", problem.path or "Scene file", "{} (see docs/scene-format.md)".format(problem.message))
        for problem in err.problems
    ]


def cmd_validate(args) -> int:
    upload = None
    try:
        with conductor_session(args):
            _scene, plan = load_plan(args)
            if getattr(args, "estimate", False):
                # Inside the session: with --sandbox the record of the sandbox's URL is read.
                upload = run_estimate(plan.payloads, sys.stderr)
    except SceneFormatError as err:
        # Every malformed key, each named; exit 2 (bad input) as elsewhere.
        _print_findings(args, scene_format_findings(err))
        _err("validate", "{} is not a valid scene file".format(err.path))
        return EXIT_USAGE
    findings = validate(plan)
    code = EXIT_FAILED if has_errors(findings) else EXIT_OK
    rows = pathmap.path_rows(plan) if getattr(args, "paths", False) else None
    if args.json and (rows is not None or upload is not None):
        data = {"findings": [_finding_dict(f) for f in findings]}
        if rows is not None:
            data["paths"] = [r.to_dict() for r in rows]
        if upload is not None:
            data["estimate"] = upload.to_dict()
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return code
    if rows is not None:
        print("\n".join(printable(line) for line in pathmap.format_rows(rows)))
        print()
    if upload is not None:
        print("\n".join(printable(line) for line in upload.lines()))
        print()
    _print_findings(args, findings)
    return code


def run_estimate(payloads, err, tick: float = 1.0):
    """The upload estimate of these payloads, on a worker thread so Ctrl-C stops it within a block.

    While it hashes for longer than ``tick`` seconds, what it is doing is
    shown on ``err`` when that is a terminal.
    """
    progress = estimate_mod.Progress()
    stop = threading.Event()
    call = BackgroundCall(lambda: estimate_mod.estimate(payloads, cancelled=stop.is_set, progress=progress),
                          "ciokatana-estimate")
    shown = False
    live = hasattr(err, "isatty") and err.isatty()
    try:
        while not call.wait(tick):
            if live:
                err.write("\restimating the upload: {}\033[K".format(progress.text()))
                err.flush()
                shown = True
    except KeyboardInterrupt:
        stop.set()
        call.wait(5.0)
        raise
    finally:
        if shown:
            err.write("\r\033[K")
            err.flush()
    if call.error is not None:
        raise call.error
    return call.result


def _finding_dict(f) -> dict:
    return {"level": f.level, "rule": f.rule, "where": f.where, "message": f.message, "details": list(f.details)}


def _print_findings(args, findings) -> None:
    if args.json:
        data = [_finding_dict(f) for f in findings]
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_findings(findings))


LIST_WHAT = ("projects", "instance-types", "software")


def cmd_list(args) -> int:
    """Print what Conductor offers this account."""
    with conductor_session(args):
        try:
            data = conductor.fetch(force=True)
        except conductor.ConductorError as err:
            raise UsageError("{}{}".format(err, "" if args.sandbox else "; or add --sandbox to list the sandbox's"))
    if args.what == "projects":
        rows = list(data.projects)
        lines = rows
    elif args.what == "instance-types":
        rows = [
            {"name": it.get("name"), "description": it.get("description", ""), "cores": it.get("cores"),
             "memory": it.get("memory"), "operating_system": it.get("operating_system"), "gpu": bool(it.get("gpu"))}
            for label, group in data.categories() for it in group
        ]
        lines = ["{:<24} {:>3} cores {:>5} GB  {}{}".format(r["name"], r["cores"], r["memory"], r["operating_system"],
                                                          "  GPU: " + r["description"] if r["gpu"] else "") for r in rows]
    else:
        rows = [{"name": host, "renderers": [p.rsplit("/", 1)[-1] for p in data.renderers(host)]}
                for host in data.katana_versions()]
        lines = []
        for row in rows:
            lines.append(row["name"])
            lines.extend("    " + r for r in row["renderers"])
    if args.json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("".join(printable(line) + "\n" for line in lines))
    return EXIT_OK


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
    preview.add_argument("--sandbox", action="store_true", help="resolve software names against an embedded local sandbox")
    preview.set_defaults(func=cmd_preview)

    check = sub.add_parser("validate", help="check a submission; exits 1 on errors")
    add_scene_arguments(check)
    add_setting_arguments(check)
    check.add_argument("--json", action="store_true", help="print findings as JSON")
    check.add_argument("--paths", action="store_true",
                       help="also list every scene, asset and output path as the Linux render node sees it, "
                       "and whether it is uploaded, on the farm or missing")
    check.add_argument("--estimate", action="store_true",
                       help="also estimate the upload: files and bytes, how many Conductor already holds "
                       "(per this machine's record of earlier uploads), bytes left and the time at the last "
                       "measured rate; hashes only files ciocore's md5 cache does not know, sends nothing")
    check.add_argument("--sandbox", action="store_true", help="resolve software names against an embedded local sandbox")
    check.set_defaults(func=cmd_validate)

    listing = sub.add_parser("list", help="print the projects, instance types or software Conductor offers")
    listing.add_argument("what", choices=LIST_WHAT, help="what to list")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument("--sandbox", action="store_true", help="list what an embedded local sandbox offers")
    listing.set_defaults(func=cmd_list)

    submit.register(sub)
    demo.register(sub)
    # 'ciokatana sandbox ARGS' is handed to the sandbox's own parser by main.
    sub.add_parser("sandbox", help="run the local Conductor sandbox (see 'ciokatana sandbox --help')", add_help=False)
    install.register(sub)
    gui.register(sub)
    return parser


def _err(command: str, message: str) -> None:
    sys.stderr.write("ciokatana {}: {}\n".format(command, printable(message)))


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        from ciokatana.sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    install_log_redaction()  # before anything can log: every subcommand, gui included
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler()
    handler.setFormatter(PrintableFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, handlers=[handler])
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
    from ciokatana.standalone.entry import console_main as entry_main

    entry_main()


if __name__ == "__main__":  # pragma: no cover
    console_main()
