"""The Validation tab: findings about the submission, as cards.

Layer: ui. Shows what :func:`ciokatana.core.validation.validate` found for
the newest plan: errors (red, they block Submit), warnings (amber, Submit
asks first) and notices (blue). Each card names the node or setting
concerned; a finding's details (a list of paths...) fold behind "Show
details". The tab only displays: the rules live in the core.
"""

from ciokatana.core import pathmap
from ciokatana.core.validation import ERROR, LEVELS, NOTICE, WARNING
from ciokatana.qt import QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.tabs.base import Tab
from ciokatana.ui.widgets.cards import Card
from ciokatana.ui.widgets.pathtable import PathTable

NAMES = {ERROR: ("error", "errors"), WARNING: ("warning", "warnings"), NOTICE: ("notice", "notices")}


def summary_text(findings):
    if not findings:
        return "No problems found: ready to submit."
    parts = []
    for level in LEVELS:
        count = sum(1 for f in findings if f.level == level)
        if count:
            parts.append("{} {}".format(count, NAMES[level][0 if count == 1 else 1]))
    text = ", ".join(parts) + "."
    if any(f.level == ERROR for f in findings):
        text += " Fix the errors to submit."
    return text


class ValidationTab(Tab):
    KEY = "validation"
    TITLE = "Validation"
    TOOLTIP = "Problems found in the submission"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._findings = None
        self.build_card_page("Checking\u2026", "Nothing to show yet.")
        # Every path as the render node sees it (a self-contained, filterable table).
        self.path_table = PathTable()
        self.layout().addWidget(QtWidgets.QLabel("Paths on the render node"))
        self.layout().addWidget(self.path_table, 1)

        controller.plan_ready.connect(self._on_controller_plan_ready)
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
        for finding in findings:
            card = Card(finding.level, finding.where or "Submission", finding.message, "\n".join(finding.details))
            card.setToolTip("{} ({})".format(finding.level.capitalize(), finding.rule))
            self.cards.add_card(card)
        worst = next((level for level in LEVELS if any(f.level == level for f in findings)), None)
        level = {ERROR: theme.ERROR, WARNING: theme.WARNING, NOTICE: theme.NOTICE}.get(worst, theme.SUCCESS)
        self.set_summary(level, summary_text(findings))
        self.cards.set_empty_text("No problems found.")

    def _on_controller_plan_ready(self, result):
        self.show_findings(result.findings)
        self.path_table.set_rows(pathmap.path_rows(result.plan))
