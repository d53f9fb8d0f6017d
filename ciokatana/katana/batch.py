"""Submit or export from ``katana --script`` or the Python tab, with no UI.

:func:`export_scene` writes the open project as the JSON scene file that
``ciokatana preview``, ``validate``, ``submit`` and ``gui`` read
(:mod:`ciokatana.core.filescene`), so a wrangler can take a shot out of
Katana and run it headless.

Layer: katana (no Qt). :func:`submit` does what the dialog's Submit button
does, through the same core pipeline as the ``ciokatana submit`` command
(:mod:`ciokatana.core.submission`): read the ConductorRender node's
settings, snapshot the scene, prepare and validate (errors raise
:class:`BatchSubmitError` listing them; warnings are printed), then run the
submission with live terminal progress (``submission.run_in_terminal``):
every job's files are uploaded once, then the jobs are created. Ctrl-C
cancels the current job and starts no more; a service that stops answering
ends the run after ``timeout`` seconds instead of blocking the script.

Example, in a script run with ``katana --script submit.py``::

    from Katana import KatanaFile
    from ciokatana.katana import batch

    KatanaFile.Load("/shows/demo/shot010_lighting_v003.katana")
    result = batch.submit(nodes=["beauty", "shadow"])
    print(result.ok, [r.jobid for r in result.results])
"""

import os
import sys

from ciokatana.core import conductor, submission
from ciokatana.core.redact import install_log_redaction
from ciokatana.core.runner import SUCCEEDED
from ciokatana.core.settings import UPLOADERS, Settings
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
    timeout=None,
    uploader=None,
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
        database_filepath: ciocore's upload md5 cache.
        submit_factory: ``factory(payload)`` building a ciocore-like
            ``Submit`` for the stock uploader; ciocore's by default.
        check_credentials: refuse early when ciocore has no credentials.
        timeout: seconds without progress or answer before a step is ended
            as stalled (default: the settings', 120 s).
        uploader: ``"shared"`` (default: upload once, then create the jobs)
            or ``"stock"`` (ciocore's ``Submit`` per job).

    Returns:
        a :class:`BatchResult`.

    Raises:
        BatchSubmitError: no settings, validation errors, no credentials, a
            bad timeout or uploader, or a scene that cannot be saved;
            nothing was submitted.
    """
    from ciokatana.core.scene import SceneError
    from ciokatana.core.console import print_findings

    install_log_redaction()  # ciocore logs in this Katana process from here on
    out = stream or sys.stdout
    err = err or sys.stderr
    resolved = _settings_node(node) if (settings is None or node is not None) else None
    settings_obj = _settings(settings, resolved)
    if timeout is not None:
        try:
            settings_obj.timeout = float(timeout)
        except (TypeError, ValueError):
            settings_obj.timeout = -1.0
        if not settings_obj.timeout > 0 or settings_obj.timeout == float("inf"):
            raise BatchSubmitError("Conductor: timeout={!r} must be a number of seconds above 0".format(timeout))
    if uploader is not None:
        if uploader not in UPLOADERS:
            raise BatchSubmitError("Conductor: uploader={!r}: use {}".format(uploader, " or ".join(UPLOADERS)))
        settings_obj.uploader = uploader
    try:
        scene = KatanaScene(nodes=nodes, settings_node=resolved)
        if save:
            scene.save()
        snapshot = scene.snapshot()
    except SceneError as error:
        raise BatchSubmitError("Conductor: {}".format(error))

    prepared = submission.prepare(snapshot, settings_obj)
    if prepared.errors:
        raise BatchSubmitError(
            "Conductor: not submitted, {} error(s):\n{}".format(len(prepared.errors), _findings_text(prepared.errors)),
            prepared.findings,
        )
    print_findings(prepared.findings, err)
    url = None
    if check_credentials:
        try:
            conductor.check_credentials()
            url = conductor.service_url()
        except conductor.ConductorError as error:
            raise BatchSubmitError("Conductor: not submitted: {}".format(error))

    spec = submission.SourceSpec(
        uploader=settings_obj.uploader,
        timeout=settings_obj.timeout,
        database_filepath=database_filepath,
        submit_factory=submit_factory,
        url=url,
    )
    try:
        run = submission.run_in_terminal(prepared, spec, out, err, quiet=quiet, url=url)
    except submission.SourceError as error:
        raise BatchSubmitError("Conductor: not submitted: {}".format(error))
    result = BatchResult(
        state=run.state,
        results=list(run.results),
        responses=[dict(e.data) for e in run.runner.responses],
        errors=[dict(e.data) for e in run.runner.errors],
        findings=prepared.findings,
        plan=prepared.plan,
    )
    if run.cancelled:
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
    from ciokatana.core import atomic

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
        atomic.write_json(target, data)
    except OSError as error:
        raise BatchSubmitError("Conductor: cannot write {} ({})".format(target, error.strerror or error))
    return target
