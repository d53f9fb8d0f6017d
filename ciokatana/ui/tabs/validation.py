"""The Validation tab: findings about the submission, as cards.

Layer: ui. Shows what :func:`ciokatana.core.validation.validate` found for
the newest plan: errors (red, they block Submit), warnings (amber, Submit
asks first) and notices (blue). Each card names the node or setting
concerned; a finding's details (a list of paths...) fold behind "Show
details". The same finding for several Render nodes (a GPU machine for a
CPU renderer, a bad default chunk size) is one card naming the nodes, not
one card per node. "Go to setting" on a card opens the field at fault in
the Configure tab. The tab only displays: the rules live in the core.

While a change has not been checked yet, the summary says "Updating" and
the cards are greyed: they are the previous check's, never "ready".

Below the cards, every path as the render node sees it. A scene with tens
of thousands of asset files has as many rows, so they are built only when
the tab is shown (never for a plan nobody looks at), on a worker thread,
and the table (:mod:`ciokatana.ui.widgets.pathtable`) costs nothing per
row it does not show.
"""

import re
from collections import OrderedDict

from ciokatana.core import pathmap
from ciokatana.core.validation import ERROR, LEVELS, NOTICE, WARNING
from ciokatana.qt import QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.tabs.base import Tab
from ciokatana.ui.widgets.cards import Card, LinkButton
from ciokatana.ui.widgets.estimate import EstimateLine
from ciokatana.ui.widgets.pathtable import PathTable, prepare

_NODE_WHERE = re.compile(r"^Render node '(?P<name>.+?)'(?P<rest>.*)$")

#: Which Configure field each rule is about (see ConfigureTab.reveal).
TARGETS = {
    "no_project": "project",
    "unknown_project": "project",
    "no_instance_type": "instance_type",
    "unknown_instance_type": "instance_type",
    "gpu_for_cpu_renderer": "instance_type",
    "no_katana_package": "katana",
    "renderer_plugin": "renderer",
    "empty_title": "title",
    "bad_title": "title",
    "bad_task_template": "task_template",
    "bad_environment": "environment",
    "environment_name": "environment",
    "missing_assets": "assets",
    "windows_paths": "assets",
    "bad_frames": "frames",
    "descending_range": "frames",
    "bad_scout": "scout",
    "scout_empty": "scout",
    "bad_chunk_size": "chunk_size",
    "chunk_size": "chunk_size",
    "task_limit": "chunk_size",
    "bad_tasks": "chunk_size",
    "bad_outputs": "node",
    "no_render_nodes": "node",
}


class Group(object):
    """One card's worth of findings: the same rule and message for one or more nodes."""

    def __init__(self, finding):
        self.finding = finding
        self.nodes = []
        self.rest = ""

    @property
    def level(self):
        return self.finding.level

    @property
    def where(self):
        if not self.nodes:
            return self.finding.where or "Submission"
        if len(self.nodes) == 1:
            return "Render node '{}'{}".format(self.nodes[0], self.rest)
        return "Render nodes {}{}".format(", ".join("'{}'".format(n) for n in self.nodes), self.rest)

    @property
    def target(self):
        target = TARGETS.get(self.finding.rule)
        if target in ("frames", "scout", "chunk_size") and "(node override)" in self.rest:
            return "node"
        return target


def group_findings(findings):
    """Findings folded into cards: identical ones for several nodes become one."""
    groups = OrderedDict()
    for finding in findings:
        match = _NODE_WHERE.match(finding.where or "")
        if match is None:
            groups[(finding, None)] = Group(finding)
            continue
        key = (finding.level, finding.rule, finding.message, finding.details, match.group("rest"))
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(finding)
            group.rest = match.group("rest")
        group.nodes.append(match.group("name"))
    return list(groups.values())

NAMES = {ERROR: ("error", "errors"), WARNING: ("warning", "warnings"), NOTICE: ("notice", "notices")}


def summary_text(findings):
    if not findings:
        return "No problems found: Ready to submit."
    parts = []
    for level in LEVELS:
        count = sum(1 for f in findings if f.level == level)
        if count:
            parts.append("{} {}".format(count, NAMES[level][0 if count == 1 else 1]))
    text = ", ".join(parts) + "."
    if any(f.level == ERROR for f in findings):
        text += " Fix the errors to submit."
    else:
        text = "Ready to submit: " + text
        if any(f.level == WARNING for f in findings):
            text += " Submit asks about the warnings."
    return text


class ValidationTab(Tab):
    KEY = "validation"
    TITLE = "Validation"
    TOOLTIP = "Problems found in the submission"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._findings = None
        self._paths_of = None  # the plan whose paths the table shows
        self._paths_wanted = None  # the plan whose paths are being built
        self.build_card_page("Checking\u2026", "Nothing to show yet.")
        # The upload estimate (ui/widgets/estimate.py; the same figures as `ciokatana validate --estimate`).
        self.estimate_block = EstimateLine(controller, block=True)
        self.layout().addWidget(self.estimate_block)
        # Every path as the render node sees it (a self-contained, filterable table).
        self.path_table = PathTable()
        self.paths_label = QtWidgets.QLabel("Paths on the render node")
        self.layout().addWidget(self.paths_label)
        self.layout().addWidget(self.path_table, 1)

        controller.plan_ready.connect(self._on_controller_plan_ready)
        controller.plan_stale.connect(self._on_controller_plan_stale)
        if controller.plan_result is not None:
            self._on_controller_plan_ready(controller.plan_result)

    def findings(self):
        return list(self._findings or [])

    def show_findings(self, findings):
        findings = list(findings)
        if findings == self._findings:
            return
        self._findings = findings
        self.cards.clear()
        for group in group_findings(findings):
            finding = group.finding
            card = Card(finding.level, group.where, finding.message, "\n".join(finding.details))
            card.setToolTip("{} ({})".format(finding.level.capitalize(), finding.rule))
            card.target = group.target
            if card.target:
                node = group.nodes[0] if group.nodes else ""
                card.go_button = LinkButton("Go to setting", tooltip="Show the setting at fault in the Configure tab")
                card.go_button.clicked.connect(
                    lambda _checked=False, t=card.target, n=node: self.reveal_requested.emit(t, n))
                card.add_widget(card.go_button)
            self.cards.add_card(card)
        self.cards.set_empty_text("No problems found.")
        self._show_state()

    def _show_state(self):
        findings = self._findings or []
        if self.controller.plan_is_stale:
            # Never "ready" while a change has not been checked: the cards below are the last check's.
            self.set_summary(theme.NOTICE, "Updating\u2026 (the findings below are from before your last change)")
            self.cards.setEnabled(False)
            return
        self.cards.setEnabled(True)
        worst = next((level for level in LEVELS if any(f.level == level for f in findings)), None)
        level = {ERROR: theme.ERROR, WARNING: theme.WARNING, NOTICE: theme.NOTICE}.get(worst, theme.SUCCESS)
        self.set_summary(level, summary_text(findings))

    def on_shown(self):
        self._update_paths()

    @property
    def paths_pending(self):
        """The path table does not show the newest plan yet (it is built when the tab is shown)."""
        result = self.controller.plan_result
        return result is not None and self._paths_of is not result

    def _update_paths(self):
        """Build the newest plan's path rows on a worker, if the tab is shown and they are not there yet."""
        result = self.controller.plan_result
        if result is None or not self.isVisible() or self._paths_of is result or self._paths_wanted is result:
            return
        self._paths_wanted = result
        self.paths_label.setText("Paths on the render node (reading the plan\u2026)")
        plan = result.plan
        self.controller.run_in_background(lambda: prepare(pathmap.path_rows(plan)),
                                          lambda rows: self._on_paths_built(result, rows),
                                          lambda err: self._on_paths_failed(result, err))

    def _on_paths_built(self, result, rows):
        if self._paths_wanted is not result:
            return  # a newer plan was asked for meanwhile
        self._paths_wanted = None
        self._paths_of = result
        self.path_table.set_rows(rows)
        self.paths_label.setText("Paths on the render node")
        self._update_paths()  # a newer plan arrived while these were built

    def _on_paths_failed(self, result, err):
        if self._paths_wanted is result:
            self._paths_wanted = None
            self.paths_label.setText("Paths on the render node could not be listed: {}".format(err))

    def _on_controller_plan_ready(self, result):
        self.show_findings(result.findings)
        self._update_paths()
        self._show_state()

    def _on_controller_plan_stale(self, _stale):
        self._show_state()
