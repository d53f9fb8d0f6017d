"""The table of Render nodes in scope, with their frames, scout, chunk and tasks.

Layer: ui. One row per Render node of the scene snapshot. The first column
ticks the node for submission (unticked nodes are left out of the plan, for
this dialog session). A node that overrides the submitter's defaults
(``conductorOverrides``) shows and edits its own frame spec, scout spec and
chunk size; the others show the defaults in muted italics. Ticking Override
starts the node's own values from what the row showed, not from values
stored on the node long ago. Edits go through the controller, which writes
them to the scene (``scene.set_farm_settings``) and replans; task counts
and problems come from the newest plan, so a bad value turns red with the
reason in its tooltip as soon as planning (on a worker thread) has looked
at it. While a change is being planned the task counts read "updating".
"""

from ciokatana.core import gsv
from ciokatana.core.plan import effective_farm_values
from ciokatana.qt import QtCore, QtGui, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import as_int, check_state, flags, is_checked

COLUMNS = ("Submit", "Render node", "Override", "Frames", "Scout frames", "Chunk size", "Tasks", "Variable sets")
SUBMIT, NAME, OVERRIDE, FRAMES, SCOUT, CHUNK, TASKS, VARSETS = range(len(COLUMNS))
UPDATING = "updating\u2026"
FIELDS = {FRAMES: "frame_spec", SCOUT: "scout_spec", CHUNK: "chunk_size"}
PROBLEMS = {NAME: ("outputs", "title"), FRAMES: ("frames",), SCOUT: ("scout",), CHUNK: ("chunk_size",), TASKS: ("tasks",),
            VARSETS: ("var_sets",)}
HEADER_TIPS = (
    "Tick the Render nodes to submit; unticked nodes are left out (for as long as the dialog is open)",
    "The Render node; each one becomes a Conductor job",
    "Tick to give this node its own frames, scout frames and chunk size "
    "(written to the node's farmSettings.conductorOverrides)",
    "The frames to render, e.g. 1001-1100, 1-100x2 or 1,5,10-20",
    "Frames rendered first as a test: auto:N (N spread evenly), fml:N (first, middle, last), "
    "a frame spec, or empty for none",
    "How many frames each task renders",
    "How many tasks the job will have (frames / chunk size)",
    "Graph State Variable sets, one job each: shot=010,variant=a; shot=020,variant=a "
    "(passed to Katana as --var name=value; written to farmSettings.conductorVarSets); empty: one job",
)


def parse_chunk(text):
    """A typed chunk size: an int when it is one, else the text (validation reports it)."""
    text = str(text).strip()
    try:
        return int(text)
    except ValueError:
        return text


class NodeTableModel(QtCore.QAbstractTableModel):
    """Rows of Render nodes; edits go to ``controller.set_node_farm``."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self._controller = controller
        self._snapshot = controller.snapshot
        self._settings = controller.settings
        self._nodes = list(self._snapshot.nodes)
        self._jobs = {}
        self._task_findings = {}
        self._error_icon = None
        self._stale = False

    # -- feeding -----------------------------------------------------------
    def set_snapshot(self, snapshot):
        names = [n.name for n in snapshot.nodes]
        self._snapshot = snapshot
        if names != [n.name for n in self._nodes]:
            self.beginResetModel()
            self._nodes = list(snapshot.nodes)
            self.endResetModel()
        else:
            self._nodes = list(snapshot.nodes)
            self._refresh_all()

    def set_settings(self, settings):
        self._settings = settings
        self._refresh_all()

    def set_plan(self, result):
        self._jobs = {}
        for job in result.jobs:  # a node's first job (its variable sets share its frames)
            self._jobs.setdefault(job.name, job)
        self._task_findings = {}
        for finding in result.findings:
            if finding.rule == "task_limit":
                for job in result.jobs:
                    if finding.where == job.where:
                        self._task_findings.setdefault(job.name, finding.message)
        self._refresh_all()

    def set_stale(self, stale):
        """A change is being planned: task counts are not known yet."""
        if stale != self._stale:
            self._stale = stale
            if self._nodes:
                self.dataChanged.emit(self.index(0, TASKS), self.index(len(self._nodes) - 1, TASKS), [])

    def _included(self, node):
        return node.name not in self._controller.excluded_nodes

    def _refresh_all(self):
        if self._nodes:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._nodes) - 1, len(COLUMNS) - 1), [])

    def node_names(self):
        return [n.name for n in self._nodes]

    def job(self, row):
        return self._jobs.get(self._nodes[row].name)

    # -- Qt model API --------------------------------------------------------
    def rowCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(self._nodes)

    def columnCount(self, parent=QtCore.QModelIndex()):
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=QtCore.Qt.DisplayRole):
        if orientation != QtCore.Qt.Horizontal:
            return None
        if role == QtCore.Qt.DisplayRole:
            return COLUMNS[section]
        if role == QtCore.Qt.ToolTipRole:
            return theme.wrap_tip(HEADER_TIPS[section])
        return None

    def flags(self, index):
        if not index.isValid():
            return QtCore.Qt.NoItemFlags
        wanted = [QtCore.Qt.ItemIsEnabled, QtCore.Qt.ItemIsSelectable]
        column = index.column()
        if column in (SUBMIT, OVERRIDE):
            wanted.append(QtCore.Qt.ItemIsUserCheckable)
        elif column in FIELDS and self._nodes[index.row()].farm_settings.overrides:
            wanted.append(QtCore.Qt.ItemIsEditable)
        elif column == VARSETS:
            wanted.append(QtCore.Qt.ItemIsEditable)
        return flags(*wanted)

    def _values(self, node):
        return effective_farm_values(node, self._settings, self._snapshot)

    def _problem(self, node, column):
        job = self._jobs.get(node.name)
        if column == TASKS and node.name in self._task_findings:
            return self._task_findings[node.name]
        if job is None:
            return None
        for key in PROBLEMS.get(column, ()):
            if key in job.problems:
                return job.problems[key]
        return None

    def data(self, index, role=QtCore.Qt.DisplayRole):
        if not index.isValid() or index.row() >= len(self._nodes):
            return None
        node = self._nodes[index.row()]
        column = index.column()
        if role in (QtCore.Qt.DisplayRole, QtCore.Qt.EditRole):
            return self._text(node, column, role)
        if role == QtCore.Qt.CheckStateRole and column == OVERRIDE:
            return check_state(node.farm_settings.overrides)
        if role == QtCore.Qt.CheckStateRole and column == SUBMIT:
            return check_state(self._included(node))
        if role == QtCore.Qt.ToolTipRole:
            return theme.wrap_tip(self._tooltip(node, column))
        if role == QtCore.Qt.ForegroundRole:
            return self._foreground(node, column)
        if role == QtCore.Qt.FontRole and column in FIELDS and not node.farm_settings.overrides:
            font = QtGui.QFont()
            font.setItalic(True)
            return font
        if role == QtCore.Qt.DecorationRole and self._problem(node, column):
            if self._error_icon is None:
                self._error_icon = theme.severity_icon(theme.ERROR, 14)
            return self._error_icon
        if role == QtCore.Qt.TextAlignmentRole and column in (CHUNK, TASKS):
            return as_int(flags(QtCore.Qt.AlignRight, QtCore.Qt.AlignVCenter))
        return None

    def _text(self, node, column, role):
        overridden, frames, scout, chunk = self._values(node)
        if column == NAME:
            return node.name
        if column in (SUBMIT, OVERRIDE):
            return None
        if column == FRAMES:
            return frames
        if column == SCOUT:
            return scout if (scout or role == QtCore.Qt.EditRole) else "none"
        if column == CHUNK:
            return str(chunk)
        if column == TASKS:
            if not self._included(node):
                return "not submitted"
            if self._stale:
                return UPDATING
            job = self._jobs.get(node.name)
            count = job.task_count if job is not None else None
            return "{:,}".format(count) if count is not None else "\u2014"
        if column == VARSETS:
            return gsv.format_var_sets(node.farm_settings.var_sets)
        return None

    def _tooltip(self, node, column):
        if column == TASKS and self._stale:
            return "Updating: the task count is being worked out for your last change"
        if not self._included(node) and column in (SUBMIT, NAME, TASKS):
            return "{} is not ticked: it is left out of the submission. Tick it to submit it".format(node.name)
        problem = self._problem(node, column)
        if problem:
            return problem
        if column in FIELDS and not node.farm_settings.overrides:
            return "Uses the submitter default; tick Override to give {} its own value".format(node.name)
        if column == NAME:
            outputs = ", ".join(o.output_location for o in node.outputs if o.enabled) or "no enabled output"
            return "{} ({})\nOutputs: {}".format(node.name, node.renderer or "renderer unknown", outputs)
        return HEADER_TIPS[column]

    def _foreground(self, node, column):
        palette = QtWidgets.QApplication.palette()
        if not self._included(node) or (column == TASKS and self._stale):
            return QtGui.QBrush(theme.muted_text(palette))
        if self._problem(node, column):
            return QtGui.QBrush(theme.error_text(palette))
        if column in FIELDS and not node.farm_settings.overrides:
            return QtGui.QBrush(theme.muted_text(palette))
        return None

    def setData(self, index, value, role=QtCore.Qt.EditRole):
        if not index.isValid():
            return False
        node = self._nodes[index.row()]
        column = index.column()
        if column == SUBMIT and role == QtCore.Qt.CheckStateRole:
            if not self._controller.set_node_included(node.name, is_checked(value)):
                return False
            self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1), [])
            return True
        if column == OVERRIDE and role == QtCore.Qt.CheckStateRole:
            if is_checked(value):
                # Start the node's own values from what the row showed (the defaults),
                # not from values stored on the node long ago.
                _overridden, frames, scout, chunk = self._values(node)
                return self._write(node, index, overrides=True, frame_spec=frames, scout_spec=scout,
                                   chunk_size=chunk)
            return self._write(node, index, overrides=False)
        if column == VARSETS and role == QtCore.Qt.EditRole:
            try:
                var_sets = gsv.parse_var_sets("" if value is None else str(value))
            except gsv.VarSetError as err:
                self._controller.problem.emit("{}: {}".format(node.name, err))
                return False
            return self._write(node, index, var_sets=var_sets)
        if column in FIELDS and role == QtCore.Qt.EditRole and node.farm_settings.overrides:
            text = "" if value is None else str(value)
            new = parse_chunk(text) if column == CHUNK else text.strip()
            return self._write(node, index, **{FIELDS[column]: new})
        return False

    def _write(self, node, index, **changes):
        if not self._controller.set_node_farm(node.name, **changes):
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1), [])
        return True
