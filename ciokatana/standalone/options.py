"""Command-line flags that override the stored submitter settings.

Layer: standalone. Shared by every subcommand that plans a submission
(preview, validate, submit). Flags change the submitter's defaults; a Render
node whose ``conductorOverrides`` is on keeps its own frame spec, scout spec
and chunk size, exactly as in the dialog.
"""

from __future__ import annotations

import argparse

from ciokatana.core import frames as fr
from ciokatana.core import gsv
from ciokatana.core.command import TemplateError, template_fields
from ciokatana.core.settings import MAX_AUTORETRY, EnvVar, Settings, parse_key_value


class UsageError(Exception):
    """Bad command-line input; the message is printed as one line."""


def add_scene_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scene", required=True, metavar="FILE", help="JSON scene file (see examples/)")
    parser.add_argument(
        "--node",
        action="append",
        default=[],
        metavar="NAME",
        help="Render node to put in scope (repeatable); default: the selected nodes, else all",
    )


def add_setting_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("settings (override those stored in the scene)")
    group.add_argument("--title", metavar="TEMPLATE", help="job title template, fields {node} {scene} {project} {instance_type}")
    group.add_argument("--project", help="Conductor project")
    group.add_argument("--instance-type", metavar="NAME", help="Conductor instance type, e.g. n1-standard-16")
    pre = group.add_mutually_exclusive_group()
    pre.add_argument("--preemptible", dest="preemptible", action="store_true", default=None, help="use preemptible machines")
    pre.add_argument("--no-preemptible", dest="preemptible", action="store_false", help="use on-demand machines")
    group.add_argument("--autoretry", type=int, metavar="N", help="retries of preempted tasks (0: none)")
    group.add_argument("--software", metavar="NAME",
                       help="Katana version as Conductor names it, e.g. 'katana 7.0v4 linux' ('ciokatana list software')")
    group.add_argument("--renderer", action="append", default=[], metavar="NAME",
                       help="renderer plugin for that Katana, e.g. 'renderman-katana 26.3 linux'; repeatable")
    group.add_argument("--frames", metavar="SPEC", help="default frame spec, e.g. 1001-1100 or 1-100x2")
    group.add_argument("--scout", metavar="SPEC", help="default scout spec: auto:N, fml:N, a frame spec, or '' for none")
    group.add_argument("--chunk-size", metavar="N", help="default frames per task")
    group.add_argument("--var-set", action="append", default=[], metavar="NAME=VALUE,...",
                       help="render every node in scope once per set of Graph State Variables, e.g. "
                       "'shot=010,variant=a'; repeatable: one job per set and node")
    group.add_argument("--env", action="append", default=[], metavar="K=V", help="extra environment variable (K+=V appends); repeatable")
    group.add_argument("--metadata", action="append", default=[], metavar="K=V", help="job metadata; repeatable")
    group.add_argument("--extra-asset", action="append", default=[], metavar="PATH", help="extra file or folder to upload; repeatable")
    group.add_argument("--notify", action="append", default=[], metavar="EMAIL", help="email to notify; repeatable")
    group.add_argument("--location", help="Conductor location tag for the uploader daemon")
    group.add_argument("--task-template", metavar="TEMPLATE", help="task command template")
    daemon = group.add_mutually_exclusive_group()
    daemon.add_argument("--daemon", dest="use_daemon", action="store_true", default=None, help="let the upload daemon upload")
    daemon.add_argument("--no-daemon", dest="use_daemon", action="store_false", help="upload from this process")


def apply_setting_arguments(settings: Settings, args: argparse.Namespace) -> Settings:
    """A copy of settings with the flags applied. Raises UsageError."""
    s = settings.copy()
    if args.title is not None:
        s.title_template = args.title
    if args.project is not None:
        s.project = args.project
    if args.instance_type is not None:
        s.instance_type = args.instance_type
    if args.preemptible is not None:
        s.preemptible = args.preemptible
    if args.autoretry is not None:
        if not 0 <= args.autoretry <= MAX_AUTORETRY:
            raise UsageError("--autoretry {} is out of range: use 0 (no retries) to {}".format(
                args.autoretry, MAX_AUTORETRY))
        s.autoretry = args.autoretry
    if args.frames is not None:
        try:
            fr.parse_frames(args.frames)
        except fr.FrameSpecError as err:
            raise UsageError("--frames: {}".format(err))
        s.frame_spec = args.frames
    if args.scout is not None:
        s.scout_spec = args.scout
    if args.chunk_size is not None:
        try:
            s.chunk_size = fr.parse_chunk_size(args.chunk_size)
        except fr.FrameSpecError as err:
            raise UsageError("--chunk-size: {}".format(err))
    for text in args.env:
        try:
            name, value, policy = parse_key_value(text, "--env")
        except ValueError as err:
            raise UsageError(str(err))
        s.environment = [e for e in s.environment if not (e.name == name and policy == "exclusive")]
        s.environment.append(EnvVar(name, value, policy))
    for text in args.metadata:
        try:
            name, value, _policy = parse_key_value(text, "--metadata")
        except ValueError as err:
            raise UsageError(str(err))
        s.metadata[name] = value
    s.extra_assets = list(s.extra_assets) + list(args.extra_asset)
    if args.notify:
        s.notify = list(args.notify)
    if args.location is not None:
        s.location = args.location
    if args.task_template is not None:
        try:
            template_fields(args.task_template)
        except TemplateError as err:
            raise UsageError("--task-template: {}".format(err))
        s.task_template = args.task_template
    if args.use_daemon is not None:
        s.use_daemon = args.use_daemon
    return s


def var_sets_argument(args: argparse.Namespace):
    """The --var-set flags as variable sets (None when not given). Raises UsageError."""
    texts = getattr(args, "var_set", None) or []
    if not texts:
        return None
    try:
        sets = tuple(gsv.parse_var_set(text) for text in texts)
    except gsv.VarSetError as err:
        raise UsageError("--var-set: {}".format(err))
    seen = set()
    for var_set in sets:
        if frozenset(var_set) in seen:
            raise UsageError("--var-set: the set {!r} is listed twice: each set is its own job, so it would be "
                             "rendered and billed twice".format(gsv.format_var_set(var_set)))
        seen.add(frozenset(var_set))
    return sets


def job_problem_lines(plan):
    """The 0.2 name of :meth:`ciokatana.core.plan.Plan.problem_lines`, for scripts written against it."""
    return plan.problem_lines()
