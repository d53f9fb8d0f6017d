"""The Validation tab: findings about the submission, as cards.

Layer: ui. Shows what :func:`ciokatana.core.validation.validate` found for
the newest plan: errors (red, they block Submit), warnings (amber, Submit
asks first) and notices (blue). Each card names the node or setting
concerned; a finding's details (a list of paths...) fold behind "Show
details". The tab only displays: the rules live in the core.
"""

from ciokatana.core.validation import ERROR, LEVELS, NOTICE, WARNING
from ciokatana.ui import theme
from ciokatana.ui.tabs.base import Tab
from ciokatana.ui.widgets.cards import Card

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
        self.build_card_page("Checking\u2026", "Nothing to show yet.")

        controller.plan_ready.connect(self._on_controller_plan_ready)
        controller.plan_stale.connect(self._on_controller_plan_stale)
        if controller.plan_result is not None:
            self.show_findings(controller.plan_result.findings)

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

    def _on_controller_plan_ready(self, result):
        self.show_findings(result.findings)
        self._show_state()

    def _on_controller_plan_stale(self, _stale):
        self._show_state()
