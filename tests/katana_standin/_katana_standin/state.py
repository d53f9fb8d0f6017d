"""The one mutable "Katana session" shared by every stand-in module.

``S`` is the current session.  ``reset()`` replaces it with a fresh, empty one
(a new Katana process, as far as the tests can tell).  The node graph inside a
session (``S.graph``) is replaced on ``KatanaFile.New()`` / ``Load()`` while
the rest of the session (registered SuperTools, farm settings, menus,
callbacks, event handlers ...) survives, as it does in Katana.
"""

import atexit
import collections
import os
import shutil
import tempfile

DEFAULT_VERSION = "7.5v3"
LAUNCH_MODES = ("ui", "batch", "script", "shell")
TMPDIR_ENV = "KATANA_TMPDIR"  # documented: the session temp dir's path


class Graph(object):
    """Book-keeping of one node graph (one open project)."""

    def __init__(self):
        self.root = None
        self.nodes = {}  # name -> live node
        self.all = {}  # live node -> None, creation order
        self.by_type = {}  # type name -> {node: None}
        self.deleted = []  # deleted nodes, deletion order
        self.name_hints = {}  # base name -> next numeric suffix to try
        self.selected = {}  # node -> None, selection order
        self.edited = {}  # node -> None
        self.positions = {}  # node -> (x, y)
        self.expr_params = {}  # parameter -> None, params holding an expression
        self.source_file = ""  # as given to Save/Load: a path or an asset id
        self.project_file = ""  # the file-system path it was read from / written to
        self.dirty = False
        self.loading = 0  # > 0 while KatanaFile.Load/Import builds nodes


class Session(object):
    """Everything a Katana process would hold in memory."""

    def __init__(self):
        self.graph = None  # created lazily by the graph engine
        # node types
        self.supertools = collections.OrderedDict()  # name -> SuperToolType
        self.node_flavors = collections.OrderedDict()  # node type -> [flavor]
        # FarmAPI
        self.farm_settings = collections.OrderedDict()  # name -> (kind, default, hints)
        self.farm_menu = []  # [(label, handler)]  Util menu
        self.farm_popup_menu = []  # [(label, handler)]  node right-click menu
        self.menu_context = []  # stack of dicts while a simulated menu handler runs
        self.error_messages = []
        self.warning_messages = []
        self.injected_errors = []
        self.injected_warnings = []
        self.farm_plugins = collections.OrderedDict()  # name -> class
        self.farm_plugin_instances = {}
        self.default_farm = ""
        self.render_context_counter = 0
        self.default_renderer = "prman"
        # Callbacks and events
        self.callbacks = collections.OrderedDict()  # type -> [(fcn, objectHash)]
        self.event_queue = []  # [(priority, seq, eventType, eventID, kwargs)]
        self.event_seq = 0
        self.event_handlers = []  # [(ref, eventType, eventID)]
        self.collapsed_handlers = []  # [(ref, eventType, eventID)]
        self.event_filters = []  # [ref]
        self.handler_errors = []  # [(where, traceback text)]
        # Utils.UndoStack counters
        self.undo = collections.OrderedDict(
            [
                ("OpenGroup", 0),
                ("CloseGroup", 0),
                ("DisableCapture", 0),
                ("EnableCapture", 0),
                ("Undo", 0),
                ("Redo", 0),
                ("depth", 0),
                ("captureDisabledDepth", 0),
                ("unbalanced", 0),
                ("labels", []),
            ]
        )
        # launch mode / UI
        self.launch_mode = "ui"
        self.message_box_answers = collections.deque()
        self.message_box_default = 0
        self.message_box_calls = []
        self.browse_results = collections.deque()
        self.browse_default = ""
        self.browse_calls = []
        self.main_window = None
        self.top_tabs = {}
        self.tabs = collections.OrderedDict()  # "Menu/Tab Name" -> class
        self.action_delegates = []  # [(nodeType, delegate)]
        self.qt_modules = None  # (QtWidgets, QtGui) handed in by a test, see qtbridge
        # plug-in loading
        self.plugin_load_errors = []  # [(path, traceback text)]
        self.plugin_entries = []  # every PluginRegistry tuple seen, with its source
        # rendering / assets
        self.render_calls = []
        self.asset_resolver = None
        self.temp_dir = None
        # expression evaluation guard
        self.expr_depth = 0


def ensure_temp_dir():
    """The session's temp dir, created when missing; ``KATANA_TMPDIR`` names it.

    Documented (User Guide, "Setting the Temporary File Directory"): Katana
    creates ``katana_tmpdir_<pid>`` in ``tempfile.gettempdir()`` when it
    starts, exposes its path as the ``KATANA_TMPDIR`` environment variable,
    and removes it when the session ends.  The stand-in does the same per
    session: at import and on every ``reset()`` (stand-in guess: a random
    suffix after the pid, so sessions of one process never share a dir).
    """
    if S.temp_dir is None or not os.path.isdir(S.temp_dir):
        S.temp_dir = tempfile.mkdtemp(prefix="katana_tmpdir_%d_" % os.getpid())
    os.environ[TMPDIR_ENV] = S.temp_dir
    return S.temp_dir


def _end_session(session):
    if session.temp_dir:
        shutil.rmtree(session.temp_dir, ignore_errors=True)
        if os.environ.get(TMPDIR_ENV) == session.temp_dir:
            del os.environ[TMPDIR_ENV]


S = Session()
ensure_temp_dir()
atexit.register(lambda: _end_session(S))


def reset():
    """Replace the session with a fresh one: the old temp dir is removed and
    a new one created (``KATANA_TMPDIR`` follows)."""
    global S
    old = S
    S = Session()
    _end_session(old)
    ensure_temp_dir()
    return S
