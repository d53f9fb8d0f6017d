"""The Response tab: one card per job that ran to an end.

Layer: ui. A job Conductor accepted gets a green card with its job id and
a link to ``{CONDUCTOR_URL}/job/{jobid}`` (opened in the browser through
the controller, so tests can catch the URL); a failed job a red card with
the summary and the traceback behind "Show details"; a cancelled job
(UserCanceledError) an amber card. Jobs never started get no card.
"""

from ciokatana.core import events as ev
from ciokatana.qt import QtCore, QtGui, QtWidgets
from ciokatana.ui import theme
from ciokatana.ui.tabs.base import Tab
from ciokatana.ui.widgets.cards import Card


class LinkButton(QtWidgets.QPushButton):
    """A flat button that reads like a link and carries its URL."""

    def __init__(self, text, url, parent=None):
        super().__init__(text, parent)
        self.url = url
        self.setFlat(True)
        self.setToolTip(url)
        self.setCursor(QtGui.QCursor(QtCore.Qt.PointingHandCursor))
        font = self.font()
        font.setUnderline(True)
        self.setFont(font)
        self.setStyleSheet("QPushButton { color: palette(link); text-align: left; padding: 2px 0px; border: none; }")


def _title(data):
    return data.get("job_title") or "Submission"


class ResponseTab(Tab):
    KEY = "response"
    TITLE = "Response"
    TOOLTIP = "What Conductor answered for each job"

    def __init__(self, controller, parent=None):
        super().__init__(controller, parent)
        self._counts = {}
        self.build_card_page("No submission has run yet.", "Responses appear here as jobs finish.")

        controller.run_event.connect(self._on_controller_run_event)

    def card_list(self):
        return self.cards.cards()

    # -- cards -------------------------------------------------------------
    def _success(self, data):
        jobid = str(data.get("jobid") or "")
        url = self.controller.job_link(jobid)
        message = "Submitted as job {}.".format(jobid)
        body = str(data.get("body") or "").strip().rstrip(".")
        if body and body.lower() != "job submitted":
            message += " Conductor says: {}.".format(body)
        card = Card(theme.SUCCESS, _title(data), message)
        card.jobid = jobid
        card.url = url
        card.link_button = LinkButton("Open job {} on the Conductor dashboard \u2197".format(jobid), url)
        card.link_button.clicked.connect(lambda _checked=False, u=url: self._on_link_clicked(u))
        card.add_widget(card.link_button)
        self._count("submitted")
        return card

    def _failure(self, event):
        data = event.data
        kind = data.get("exception_type") or "Error"
        # Events arrive masked: the runner's error events and mock replay both mask.
        text = str(data.get("exception") or data.get("body") or "failed")
        details = str(data.get("traceback") or data.get("body") or "")
        if event.is_cancel:
            card = Card(theme.WARNING, _title(data), "Cancelled: {}".format(text), str(data.get("body") or ""))
            self._count("cancelled")
        else:
            card = Card(theme.ERROR, _title(data), "{}: {}".format(kind, text), details)
            self._count("failed")
        card.jobid = None
        card.url = None
        return card

    def _count(self, key):
        self._counts[key] = self._counts.get(key, 0) + 1

    def _show_summary(self, finished):
        counts = self._counts
        parts = ["{} {}".format(counts[k], k) for k in ("submitted", "failed", "cancelled") if counts.get(k)]
        text = ", ".join(parts) if parts else "No job ran"
        if not finished:
            text += " so far\u2026"
        else:
            text += "."
        level = theme.SUCCESS
        if counts.get("failed"):
            level = theme.ERROR
        elif counts.get("cancelled") or not counts:
            level = theme.WARNING
        self.set_summary(level, text)

    # -- slots -------------------------------------------------------------
    def _on_controller_run_event(self, event):
        kind = event.type
        if kind == ev.START:
            self._counts = {}
            self.cards.clear()
            self.set_summary(None, "Waiting for the first job\u2026")
        elif kind == ev.RESPONSE:
            self.cards.add_card(self._success(event.data))
            self._show_summary(False)
        elif kind == ev.ERROR:
            self.cards.add_card(self._failure(event))
            self._show_summary(False)
        elif kind == ev.DONE:
            self._show_summary(True)

    def _on_link_clicked(self, url):
        self.controller.open_url(url)
