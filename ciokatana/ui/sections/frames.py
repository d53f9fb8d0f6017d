"""Frames and tasks: the submitter's defaults above the table of Render nodes.

Layer: ui. The defaults apply to every node that does not override them.
The table (a :class:`~ciokatana.ui.models.nodes.NodeTableModel`) lists the
nodes in scope with their effective frames, scout frames, chunk size and
task count; ticking Override and editing a cell writes the node's farm
settings through the scene. Bad values are shown in red with the reason.
"""

from ciokatana.core.wording import plain_error
from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.compat import flags
from ciokatana.ui.models import nodes
from ciokatana.ui.sections.base import Section
from ciokatana.ui.widgets.checkdelegate import CheckDelegate
from ciokatana.ui.widgets.form import add_row, set_text

TIPS = {
    "frames": "Default frames to render, e.g. 1001-1100, 1-100x2 or 1,5,10-20. "
    "Empty: the scene's frame range",
    "scout": "Default scout frames, rendered first so you can check them before the rest start: "
    "auto:N (N frames spread evenly), fml:N (first, last and N-2 between), a frame spec, "
    "or empty for none",
    "chunk": "Default number of frames each task renders. Bigger chunks mean fewer tasks, "
    "but a failed or preempted task redoes its whole chunk",
    "table": "The Render nodes in scope, one job each. Tick Override to give a node its own "
    "values, then double-click a cell to edit it; changes are written to the node",
}
_DEFAULT_PROBLEMS = (("frames", "Frames"), ("scout", "Scout frames"), ("chunk_size", "Chunk size"))


def problem_line(label, message):
    """``Chunk size: 0 is not ...``, not ``Chunk size: chunk size 0 is not ...``."""
    message = plain_error(message)
    if message.lower().startswith(label.lower()):
        message = message[len(label):].lstrip(" :")
    return "{}: {}".format(label, message)


class FramesSection(Section):
    TITLE = "Frames and tasks"
    TOOLTIP = "Frames, scout frames and chunk size, per Render node"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._build_defaults()
        self._build_table()
        self.show_settings(controller.settings)
        self.show_scene(controller.snapshot)

    def _build_defaults(self):
        self.frames_edit = QtWidgets.QLineEdit()
        self.scout_edit = QtWidgets.QLineEdit()
        self.scout_edit.setPlaceholderText("none")
        self.chunk_edit = QtWidgets.QLineEdit()
        self.chunk_edit.setMaximumWidth(100)
        self.defaults_problem_label = QtWidgets.QLabel()
        self.defaults_problem_label.setWordWrap(True)
        self.defaults_problem_label.setVisible(False)
        self._color_problem_label()
        add_row(self.form, "Frames", self.frames_edit, TIPS["frames"])
        add_row(self.form, "Scout frames", self.scout_edit, TIPS["scout"])
        add_row(self.form, "Chunk size", self.chunk_edit, TIPS["chunk"])
        self.form.addRow("", self.defaults_problem_label)
        self.frames_edit.textChanged.connect(self._on_frames_edit_text_changed)
        self.scout_edit.textChanged.connect(self._on_scout_edit_text_changed)
        self.chunk_edit.textChanged.connect(self._on_chunk_edit_text_changed)

    def _build_table(self):
        self.model = nodes.NodeTableModel(self.controller, self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setToolTip(TIPS["table"])
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(
            flags(
                QtWidgets.QAbstractItemView.DoubleClicked,
                QtWidgets.QAbstractItemView.EditKeyPressed,
                QtWidgets.QAbstractItemView.SelectedClicked,
            )
        )
        self.table.setItemDelegateForColumn(nodes.OVERRIDE, CheckDelegate(self.table))
        self.table.setItemDelegateForColumn(nodes.SUBMIT, CheckDelegate(self.table))
        self.table.verticalHeader().setVisible(False)
        self.table.setVerticalScrollMode(QtWidgets.QAbstractItemView.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(nodes.NAME, QtWidgets.QHeaderView.Stretch)
        for column in (nodes.SUBMIT, nodes.OVERRIDE, nodes.CHUNK, nodes.TASKS):
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeToContents)
        for column in (nodes.FRAMES, nodes.SCOUT):
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.Interactive)
            self.table.setColumnWidth(column, 130)
        hint = QtWidgets.QLabel("Untick a node to leave it out. Tick Override to give a node its own values, "
                                "then double-click a cell to edit it.")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        hint.setToolTip(TIPS["table"])
        self.form.addRow(hint)
        self.form.addRow(self.table)

    # -- hooks -------------------------------------------------------------
    def show_settings(self, settings):
        start, end = self.controller.snapshot.frame_range
        self.frames_edit.setPlaceholderText("scene range {}-{}".format(start, end))
        set_text(self.frames_edit, settings.frame_spec)
        set_text(self.scout_edit, settings.scout_spec)
        set_text(self.chunk_edit, settings.chunk_size)
        self.model.set_settings(settings)

    def show_scene(self, snapshot):
        self.model.set_snapshot(snapshot)
        rows = max(2, min(10, self.model.rowCount()))
        height = self.table.horizontalHeader().sizeHint().height() + 4
        height += rows * self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(height)

    def select_node(self, name):
        """Select a Render node's row and scroll the table to it."""
        names = self.model.node_names()
        if name not in names:
            return False
        index = self.model.index(names.index(name), nodes.NAME)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def show_stale(self, stale):
        self.model.set_stale(stale)

    def show_plan(self, result):
        self.model.set_plan(result)
        lines = []
        for job in result.jobs:
            if job.overridden:
                continue
            for key, label in _DEFAULT_PROBLEMS:
                if key in job.problems:
                    lines.append(problem_line(label, job.problems[key]))
        lines = sorted(set(lines))
        self.defaults_problem_label.setText("\n".join(lines))
        self.defaults_problem_label.setVisible(bool(lines))

    def changeEvent(self, event):  # Qt override
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.PaletteChange:
            self._color_problem_label()

    def _color_problem_label(self):
        self.defaults_problem_label.setStyleSheet("color: {};".format(theme.error_text(self.palette()).name()))

    # -- slots -------------------------------------------------------------
    def _on_frames_edit_text_changed(self, text):
        self.controller.update_settings(frame_spec=text.strip())

    def _on_scout_edit_text_changed(self, text):
        self.controller.update_settings(scout_spec=text.strip())

    def _on_chunk_edit_text_changed(self, text):
        self.controller.update_settings(chunk_size=nodes.parse_chunk(text))
