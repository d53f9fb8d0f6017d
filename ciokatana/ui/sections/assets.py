"""Assets: the files found in the scene and extra files or folders to upload.

Layer: ui. The scraped paths and their file counts and sizes are resolved
on a worker thread with every plan; this section only shows them. Extra
files and folders are added by typing or browsing; a path that names
nothing on disk is marked.
"""

import os

from ciokatana.qt import QtCore, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.models.assets import FILES, PATH, SIZE, AssetModel
from ciokatana.ui.sections.base import Section
from ciokatana.ui.widgets.estimate import EstimateLine
from ciokatana.ui.widgets.pathlist import PathListEditor

TIPS = {
    "summary": "Distinct files uploaded with every job (the scene file, its assets and the extra "
    "paths), and their total size. Files already on Conductor are not uploaded again",
    "scene": "Paths the scene refers to (textures, caches, look files...), with how many files "
    "each stands for on disk. Sequence patterns such as ####, %04d and <UDIM> are expanded",
    "extra": "More files or folders to upload with every job, e.g. an OCIO config or a script. "
    "Folders are uploaded with everything below them",
}


class AssetsSection(Section):
    TITLE = "Assets"
    TOOLTIP = "Files uploaded with the jobs"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self.summary_label = QtWidgets.QLabel("Scanning assets\u2026")
        self.summary_label.setWordWrap(True)
        self.model = AssetModel(self)
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setMinimumHeight(120)
        self.table.setMaximumHeight(240)
        self.table.setTextElideMode(QtCore.Qt.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PATH, QtWidgets.QHeaderView.Stretch)
        header.setSectionResizeMode(FILES, QtWidgets.QHeaderView.ResizeToContents)
        header.setSectionResizeMode(SIZE, QtWidgets.QHeaderView.ResizeToContents)
        self.extra_editor = PathListEditor()

        self._labelled("Upload", self.summary_label, TIPS["summary"])
        self.estimate_line = EstimateLine(controller)  # computed on a worker: ui/widgets/estimate.py
        self._labelled("Estimate", self.estimate_line, EstimateLine.TIP)
        self._labelled("Scene assets", self.table, TIPS["scene"])
        self._labelled("Extra assets", self.extra_editor, TIPS["extra"])

        self.extra_editor.changed.connect(self._on_extra_editor_changed)
        self.show_settings(controller.settings)
        if controller.plan_result is not None:
            self.show_plan(controller.plan_result)

    def _labelled(self, text, widget, tip):
        label = QtWidgets.QLabel(text)
        label.setToolTip(tip)
        widget.setToolTip(tip)
        self.form.addRow(label, widget)

    def show_settings(self, settings):
        self.extra_editor.set_paths(settings.extra_assets)

    def show_plan(self, result):
        scene_file = result.plan.snapshot.katana_file if result.plan is not None else ""
        self.model.set_rows(result.scene_assets, os.path.dirname(scene_file))
        missing = [r.source for r in result.scene_assets + result.extra_assets if r.missing]
        self.extra_editor.set_missing([r.source for r in result.extra_assets if r.missing])
        text = "{:,} files, {}".format(result.file_count, theme.human_bytes(result.total_size))
        if missing:
            text += "  \u2014  {} path(s) missing on disk".format(len(missing))
        self.summary_label.setText(text)

    def _on_extra_editor_changed(self):
        self.controller.update_settings(extra_assets=self.extra_editor.paths())
