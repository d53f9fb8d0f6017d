"""``ciokatana gui``: the Conductor dialog outside Katana, on a JSON scene file.

Layer: standalone. Opens the same dialog the Katana menus open, over a
:class:`~ciokatana.core.filescene.FileScene`, so the submitter can be tried,
demoed and tested with no Katana. With ``--sandbox`` an embedded local
Conductor sandbox is started and this process's ciocore is pointed at it
with a throw-away API key and a throw-away HOME (so no real credential or
token cache is read or written), for the session only; the dialog then
connects to it at once.

Qt is imported only when the command runs, so the rest of the command line
works where no binding is installed.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from typing import List, Optional

from ciokatana.standalone.exit_codes import EXIT_OK, EXIT_USAGE
from ciokatana.standalone.options import add_scene_arguments


def register(subparsers):
    """Add the ``gui`` subcommand to the ``ciokatana`` argument parser."""
    parser = subparsers.add_parser(
        "gui",
        help="open the Conductor dialog on a scene file (needs a Qt binding)",
        description="Open the Conductor submitter dialog on a JSON scene file, outside Katana.",
    )
    add_scene_arguments(parser)
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="start an embedded local Conductor sandbox and submit to it (throw-away key and home)",
    )
    parser.set_defaults(func=cmd_gui)
    return parser


def cmd_gui(args) -> int:
    """Run the dialog for parsed arguments (``--scene``, ``--node``, ``--sandbox``)."""
    return run_gui(args.scene, nodes=args.node, sandbox=args.sandbox)


def run_gui(scene_path: str, nodes: Optional[List[str]] = None, sandbox: bool = False, argv=None, out=None) -> int:
    """Open the dialog on a scene file and run Qt's event loop until it closes.

    Raises:
        SceneError: the scene file cannot be read (the CLI prints it).
    """
    from ciokatana.core.filescene import FileScene

    out = out or sys.stdout
    scene = FileScene(scene_path, nodes=nodes)
    try:
        from ciokatana.qt import QtCore, QtWidgets
    except ImportError as err:
        sys.stderr.write("ciokatana gui: {}\n".format(err))
        return EXIT_USAGE
    from ciokatana.ui import open_dialog
    from ciokatana.ui.compat import exec_, guard_binding_refcounts
    from ciokatana.ui.controller import Controller

    guard_binding_refcounts()
    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(list(argv or sys.argv[:1]))
        app.setQuitOnLastWindowClosed(False)  # the loop below ends with the dialog
    with contextlib.ExitStack() as stack:
        kwargs = {}
        if sandbox:
            kwargs["submit_factory"] = _start_sandbox(stack, out)
        dialog = open_dialog(scene, controller=Controller(scene, **kwargs))
        controller = dialog.controller
        if sandbox:
            controller.connect_conductor()
        # A local loop, not app.exec(): an application that already runs
        # (a host, a test session) must not be quit when the dialog closes.
        loop = QtCore.QEventLoop()
        dialog.closed.connect(loop.quit)
        exec_(loop)
    return EXIT_OK


def _start_sandbox(stack, out):
    """Start a sandbox, point ciocore at it until the stack closes; return a submit factory."""
    from ciokatana.core.runner import conductor_submit_factory
    from ciokatana.standalone.embedded import embedded_sandbox

    home = stack.enter_context(tempfile.TemporaryDirectory(prefix="ciokatana-gui-home-"))
    _server, config = stack.enter_context(embedded_sandbox(None, home, out, "throw-away API key and home"))
    out.flush()
    return conductor_submit_factory(config.database_filepath)
