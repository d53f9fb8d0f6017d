"""The Conductor connection bar at the top of the Configure tab.

Layer: ui. Shows whether projects, machines and software have been fetched
from Conductor, a Connect button (Retry after a failure) and, while a
fetch runs on its worker thread, a busy bar and a Cancel button. It only
displays what the controller reports (which gives up after a timeout, with
the reason); it never waits.
"""

from ciokatana.qt import QtCore, QtWidgets, Signal
from ciokatana.ui import theme

IDLE, BUSY, READY, FAILED = "idle", "busy", "ready", "failed"


class ConnectionBar(QtWidgets.QFrame):
    """Status text, busy indicator and the Connect / Retry button.

    Signals:
        connect_requested(): Connect, Reconnect or Retry was clicked.
        cancel_requested(): Cancel was clicked while connecting.
    """

    connect_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.state = IDLE
        self.setFrameShape(QtWidgets.QFrame.StyledPanel)
        self.icon_label = QtWidgets.QLabel()
        self.icon_label.setFixedSize(18, 18)
        self.status_label = QtWidgets.QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self.status_label.setSizePolicy(QtWidgets.QSizePolicy.Expanding, QtWidgets.QSizePolicy.Preferred)
        self.busy_bar = QtWidgets.QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setFixedWidth(90)
        self.busy_bar.setMaximumHeight(10)
        self.busy_bar.setVisible(False)
        self.connect_button = QtWidgets.QPushButton("Connect")
        self.connect_button.setAutoDefault(False)
        self._connect_tip = (
            "Fetch your projects, instance types and software versions from Conductor. "
            "Uses CONDUCTOR_API_KEY or your earlier Conductor login; never blocks the dialog"
        )
        self.connect_button.setToolTip(self._connect_tip)

        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(theme.MARGIN, 6, 6, 6)
        layout.setSpacing(theme.SPACING)
        layout.addWidget(self.icon_label, 0, QtCore.Qt.AlignTop)
        layout.addWidget(self.status_label, 1)
        layout.addWidget(self.busy_bar)
        layout.addWidget(self.connect_button, 0, QtCore.Qt.AlignTop)

        self.connect_button.clicked.connect(self._on_connect_button_clicked)
        self.set_idle()

    def set_idle(self):
        self._show(IDLE, theme.NOTICE, "Not connected to Conductor: lists show only the stored choices. "
                   "Connect to choose from your account's projects, machines and software.", "Connect")

    def set_busy(self):
        self._show(BUSY, None, "Connecting to Conductor\u2026", "Cancel")

    def set_ready(self, data):
        text = "Connected to {}: {} projects, {} instance types.".format(
            data.url, len(data.projects), len(data.instance_types)
        )
        self._show(READY, theme.SUCCESS, text, "Reconnect")

    def set_failed(self, message):
        self._show(FAILED, theme.ERROR, "Could not connect: {}".format(message), "Retry")

    def _show(self, state, level, text, button_text):
        self.state = state
        busy = state == BUSY
        if level is None:
            self.icon_label.clear()
        else:
            self.icon_label.setPixmap(theme.severity_pixmap(level, 16, self.devicePixelRatioF()))
        self.status_label.setText(text)
        self.status_label.setToolTip(text)
        self.busy_bar.setVisible(busy)
        self.connect_button.setText(button_text)
        self.connect_button.setToolTip(
            "Stop waiting for Conductor; the lists keep the stored choices" if busy else self._connect_tip)

    def _on_connect_button_clicked(self):
        if self.state == BUSY:
            self.cancel_requested.emit()
        else:
            self.connect_requested.emit()
