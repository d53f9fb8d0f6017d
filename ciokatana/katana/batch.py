"""Submit or export from ``katana --script`` or the Python tab, with no UI.

:func:`export_scene` writes the open project as the JSON scene file that
``ciokatana preview``, ``validate``, ``submit`` and ``gui`` read
(:mod:`ciokatana.core.filescene`), so a wrangler can take a shot out of
Katana and run it headless.

Layer: katana (no Qt). :func:`submit` does what the dialog's Submit button
does, with the pieces the ``ciokatana submit`` command uses: read the
ConductorRender node's settings, snapshot the scene, plan
(:func:`~ciokatana.core.plan.plan_submission`), validate (errors raise
:class:`BatchSubmitError` listing them; warnings are printed), then run the
jobs through the core runner with live terminal progress
(:class:`~ciokatana.core.console.TerminalReporter`). Ctrl-C cancels
the current job and starts no more.

Example, in a script run with ``katana --script submit.py``::

    from Katana import KatanaFile
    from ciokatana.katana import batch

    KatanaFile.Load("/shows/demo/shot010_lighting_v003.katana")
    result = batch.submit(nodes=["beauty", "shadow"])
    print(result.ok, [r.jobid for r in result.results])
"""

import os
import sys

from ciokatana.core import conductor
from ciokatana.core.plan import plan_submission
from ciokatana.core.redact import install_log_redaction
from ciokatana.core.runner import CANCELLED, SUCCEEDED, ConductorSource, Runner, conductor_submit_factory
from ciokatana.core.settings import Settings
from ciokatana.core.validation import ERROR, by_level, validate
from ciokatana.katana import constants as C
from ciokatana.katana import settings_node
from ciokatana.katana.scene import KatanaScene


class BatchSubmitError(Exception):
    """Nothing was submitted; the message says why (and lists every error).

    Attributes:
        findings: the validation findings, when validation refused.
    """

    def __init__(self, message, findings=()):
        super().__init__(message)
        self.findings = list(findings)


class BatchResult(object):
    """What a batch submission did.

    Attributes:
        state: the runner's final state (``succeeded``, ``failed``, ``cancelled``).
        results: one :class:`~ciokatana.core.console.JobResult` per job
            (title, status, job id, dashboard link, upload figures).
        responses / errors: the data of the runner's response and error events.
        findings: the validation warnings and notices that did not stop it.
        plan: the :class:`~ciokatana.core.plan.Plan` that was submitted.
    """

    def __init__(self, state, results, responses, errors, findings, plan):
        self.state = state
        self.results = results
        self.responses = responses
        self.errors = errors
        self.findings = findings
        self.plan = plan

    @property
    def ok(self):
        return self.state == SUCCEEDED and bool(self.results) and all(r.status == "ok" for r in self.results)

    def __repr__(self):
        return "BatchResult(state={!r}, jobs={})".format(
            self.state, ", ".join("{}={}".format(r.title, r.jobid or r.status) for r in self.results))


def _settings_node(node):
    if node is None:
        found = settings_node.find_settings_node()
        if found is None:
            raise BatchSubmitError(
                "this scene has no {0} node, so it has no Conductor settings: open Util > Conductor once "
                "(it creates the node), choose the settings, save the scene; or pass settings=".format(C.NODE_TYPE)
            )
        return found
    if isinstance(node, str):
        from Katana import NodegraphAPI

        found = NodegraphAPI.GetNode(node)
        if found is None or found.getType() != C.NODE_TYPE:
            raise BatchSubmitError("the scene has no {} node named {!r}".format(C.NODE_TYPE, node))
        return found
    return node


def _settings(settings, node):
    if isinstance(settings, Settings):
        return settings.copy()
    if isinstance(settings, dict):
        return Settings.from_dict(settings)
    return Settings.from_dict(settings_node.read_settings(node))


def _findings_text(findings):
    lines = []
    for finding in findings:
        lines.append("  - {}".format(finding))
        lines.extend("      {}".format(d) for d in finding.details)
    return "\n".join(lines)


def submit(
    node=None,
    nodes=None,
    settings=None,
    save=False,
    stream=None,
    err=None,
    quiet=False,
    database_filepath="",
    submit_factory=None,
    check_credentials=True,
):
    """Submit Render nodes to Conductor with the ConductorRender node's settings.

    Args:
        node: the ConductorRender node (object or name); the scene's by default.
        nodes: Render nodes (objects or names) to submit, one job each;
            default: the selected Render nodes, else all of them.
        settings: a :class:`~ciokatana.core.settings.Settings` (or its dict)
            to use instead of the node's.
        save: save the scene first (the farm renders the saved file).
        stream / err: where progress and results / findings are printed
            (stdout / stderr by default).
        quiet: print only the results.
        database_filepath: ciocore's upload md5 cache (passed to ``Submit``).
        submit_factory: ``factory(payload)`` building a ciocore-like
            ``Submit``; ciocore's by default.
        check_credentials: refuse early when ciocore has no credentials.

    Returns:
        a :class:`BatchResult`.

    Raises:
        BatchSubmitError: no settings, validation errors, no credentials, or
            a scene that cannot be saved; nothing was submitted.
    """
    from ciokatana.core.scene import SceneError
    from ciokatana.core.console import TerminalReporter, print_findings, run_jobs

    install_log_redaction()  # ciocore logs in this Katana process from here on
    out = stream or sys.stdout
    err = err or sys.stderr
    resolved = _settings_node(node) if (settings is None or node is not None) else None
    settings_obj = _settings(settings, resolved)
    try:
        scene = KatanaScene(nodes=nodes, settings_node=resolved)
        if save:
            scene.save()
        snapshot = scene.snapshot()
    except SceneError as error:
        raise BatchSubmitError("Conductor: {}".format(error))

    plan = plan_submission(snapshot, settings_obj)
    findings = validate(plan)
    errors = by_level(findings, ERROR)
    if errors:
        raise BatchSubmitError(
            "Conductor: not submitted, {} error(s):\n{}".format(len(errors), _findings_text(errors)), findings
        )
    print_findings(findings, err)
    url = None
    if check_credentials:
        try:
            conductor.check_credentials()
            url = conductor.service_url()
        except conductor.ConductorError as error:
            raise BatchSubmitError("Conductor: not submitted: {}".format(error))

    factory = submit_factory or conductor_submit_factory(database_filepath)
    reporter = TerminalReporter(out, url=url, quiet=quiet)
    runner = Runner(ConductorSource(plan.payloads, submit_factory=factory), reporter)
    state = run_jobs(runner, reporter, err)
    out.write(reporter.summary() + "\n")
    out.flush()
    result = BatchResult(
        state=state,
        results=list(reporter.results),
        responses=[dict(e.data) for e in runner.responses],
        errors=[dict(e.data) for e in runner.errors],
        findings=findings,
        plan=plan,
    )
    if state == CANCELLED:
        err.write("Conductor: cancelled; no further jobs were started\n")
    return result


def scene_data(nodes=None, node=None, settings=None):
    """The open project as scene-file data (a dict), as the adapter sees it.

    Every Render node that is not bypassed is written, with its farm
    settings, outputs and render service. ``scope`` lists the nodes in
    scope (``nodes``, else the selected Render nodes, else all) exactly,
    bypassed ones left out as Katana leaves them out, so ``ciokatana
    preview`` on the file submits the same nodes as the dialog, and none
    when none would be (an empty ``scope``); ``selected`` marks the same
    nodes for older readers. ``notes`` carries what validation reports
    from the scene in Katana: bypassed Render nodes in scope, asset ids
    that did not resolve, a scene opened from an asset id that did not
    resolve. Also written: the scene path (``GetProjectFile()``), the
    frame range, unsaved changes, Katana's temp dir, the scraped asset
    paths and the submitter settings (the ConductorRender node's, or
    ``settings``). Only keys :mod:`ciokatana.core.filescene` reads are used.
    """
    from ciokatana.core.scene import SceneError
    from ciokatana.katana.scene import all_render_nodes

    resolved = settings_node.find_settings_node() if node is None else _settings_node(node)
    if isinstance(settings, Settings):
        settings_dict = settings.to_dict()
    elif isinstance(settings, dict):
        settings_dict = Settings.from_dict(settings).to_dict()
    else:
        settings_dict = Settings.from_dict(settings_node.read_settings(resolved) if resolved is not None else {}).to_dict()
    try:
        in_scope = KatanaScene(nodes=nodes)
        scope = {n.getName() for n in in_scope.scope()}
        scene = KatanaScene(nodes=all_render_nodes())
        snapshot = scene.snapshot()
        # The notes of the scope (its bypassed nodes), from the one graph walk.
        notes = in_scope.notes(scrape_result=scene.last_scrape)
    except SceneError as error:
        raise BatchSubmitError("Conductor: {}".format(error))
    render_nodes = []
    for render_node in snapshot.nodes:
        data = render_node.to_dict()
        data["selected"] = render_node.name in scope
        render_nodes.append(data)
    return {
        "katana_file": snapshot.katana_file,
        "frame_range": {"start": snapshot.frame_range[0], "end": snapshot.frame_range[1]},
        "unsaved_changes": bool(snapshot.dirty),
        "temp_dir": snapshot.temp_dir,
        "render_nodes": render_nodes,
        "scope": [n["name"] for n in render_nodes if n["selected"]],
        "assets": list(snapshot.assets),
        "settings": settings_dict,
        "notes": [note.to_dict() for note in notes],
    }


def export_scene(path, nodes=None, node=None, settings=None):
    """Write the open project as a JSON scene file for ``ciokatana preview/validate/submit/gui``.

    Args:
        path: the ``.json`` file to write (replaced atomically: a temp file
            in the same folder renamed over it, so a failure never leaves
            half a file).
        nodes: Render nodes (objects or names) in scope; default: the
            selected Render nodes, else all of them.
        node: the ConductorRender node whose settings are written (object
            or name); the scene's by default (defaults when it has none).
        settings: a :class:`~ciokatana.core.settings.Settings` (or dict) to
            write instead of the node's.

    Returns:
        the absolute path written.

    Raises:
        BatchSubmitError: the scene cannot be read, a node does not exist,
            or the file cannot be written; the message says which and why.
    """
    from ciokatana.core.filescene import write_json_atomic

    if not path or not str(path).strip():
        raise BatchSubmitError("Conductor: export_scene needs the path of the .json file to write")
    target = os.path.abspath(os.path.expanduser(str(path)))
    if os.path.isdir(target):
        raise BatchSubmitError("Conductor: {} is a folder; give the path of the .json file to write".format(target))
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise BatchSubmitError("Conductor: cannot write {}: the folder {} does not exist".format(target, folder))
    data = scene_data(nodes=nodes, node=node, settings=settings)
    try:
        write_json_atomic(target, data)
    except OSError as error:
        raise BatchSubmitError("Conductor: cannot write {} ({})".format(target, error.strerror or error))
    return target
