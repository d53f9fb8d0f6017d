"""The contract every tab of the dialog fulfils.

Layer: ui. The dialog builds its tabs from an ordered list of classes
(:data:`ciokatana.ui.dialog.TAB_CLASSES`); a studio can swap one or add its
own without editing the dialog, as long as the class follows this contract:

- ``KEY``: a short unique id (``"preview"``), used to switch to the tab;
- ``TITLE``: the tab's label; ``TOOLTIP``: what it is for;
- ``__init__(controller, parent=None)``: build widgets and connect to the
  controller's signals; do no slow work;
- :meth:`Tab.on_shown`: the tab became the current one (refresh if stale);
- :meth:`Tab.on_closing`: the dialog is closing (drop references, stop timers);
- signal ``show_tab_requested(str)``: ask the dialog to show another tab;
- signal ``submit_requested(object)``: ask the dialog to run its Submit
  sequence, for a list of Render node names (None: every ticked node);
- signal ``reveal_requested(str, str)``: ask the dialog to show a Configure
  field (see :meth:`ciokatana.ui.tabs.configure.ConfigureTab.reveal`) and
  a Render node's row.
"""

from ciokatana.qt import QtWidgets, Signal
from ciokatana.ui import theme


class Tab(QtWidgets.QWidget):
    """Base class of the dialog's tabs (see the module docstring)."""

    KEY = ""
    TITLE = ""
    TOOLTIP = ""

    show_tab_requested = Signal(str)
    submit_requested = Signal(object)
    reveal_requested = Signal(str, str)

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller

    def on_shown(self):
        """Called when the tab becomes the current one."""

    def on_closing(self):
        """Called once when the dialog closes."""

    def build_card_page(self, summary, placeholder):
        """Lay out a summary line (severity icon + bold text) over a card list.

        Sets ``summary_icon``, ``summary_label`` and ``cards``; used by the
        Validation and Response tabs.
        """
        from ciokatana.ui.widgets.cards import CardList

        self.summary_icon = QtWidgets.QLabel()
        self.summary_icon.setFixedSize(20, 20)
        self.summary_label = QtWidgets.QLabel(summary)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.cards = CardList(placeholder)

        top = QtWidgets.QHBoxLayout()
        top.setSpacing(theme.SPACING)
        top.addWidget(self.summary_icon)
        top.addWidget(self.summary_label, 1)
        layout = self.page_layout(self)
        layout.addLayout(top)
        layout.addWidget(self.cards, 1)

    def set_summary(self, level, text):
        """Show a severity icon (or none when level is None) and the summary text."""
        if level is None:
            self.summary_icon.clear()
        else:
            self.summary_icon.setPixmap(theme.severity_pixmap(level, 18, self.devicePixelRatioF()))
        self.summary_label.setText(text)

    @staticmethod
    def page_layout(widget):
        """A vertical layout with the dialog's page margins."""
        layout = QtWidgets.QVBoxLayout(widget)
        layout.setContentsMargins(theme.MARGIN, theme.MARGIN, theme.MARGIN, theme.MARGIN)
        layout.setSpacing(theme.SPACING)
        return layout
