"""Colours, spacing and painted icons shared by every widget of the dialog.

Layer: ui. Text and backgrounds come from the palette (so the dialog reads
in Katana's dark theme and in a light one); only severity accents are fixed
colours, picked to keep their contrast on both. Icons are painted with
QPainter rather than loaded from files or fonts, so they look the same on
every binding, style and platform, offscreen included.
"""

import html

from ciokatana.core.units import human_bytes  # noqa: F401 - the one byte formatter, used as theme.human_bytes
from ciokatana.qt import QtCore, QtGui, QtWidgets

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"
SUCCESS = "success"
CACHED = "cached"
MOCK = "mock"

ACCENTS = {
    ERROR: "#e0524a",
    WARNING: "#d9a21b",
    NOTICE: "#4a8fdb",
    SUCCESS: "#3ea35a",
    CACHED: "#8a56cc",
    MOCK: "#c0399b",
}

SPACING = 8
MARGIN = 10
CARD_RADIUS = 5


def accent(level):
    """The accent QColor of a severity level (error, warning, notice, success, cached)."""
    return QtGui.QColor(ACCENTS.get(level, ACCENTS[NOTICE]))


def blend(base, over, amount):
    """``base`` with ``over`` laid on top at ``amount`` (0..1) opacity."""
    amount = max(0.0, min(1.0, float(amount)))
    return QtGui.QColor(
        int(base.red() + (over.red() - base.red()) * amount),
        int(base.green() + (over.green() - base.green()) * amount),
        int(base.blue() + (over.blue() - base.blue()) * amount),
    )


def is_dark(palette):
    """Whether a palette is a dark theme (light text on dark windows)."""
    return palette.color(QtGui.QPalette.Window).lightness() < 128


def tint(palette, level, amount=None):
    """A card background: the palette's base tinted with a severity accent."""
    if amount is None:
        amount = 0.16 if is_dark(palette) else 0.10
    return blend(palette.color(QtGui.QPalette.Base), accent(level), amount)


def error_text(palette):
    """A red that reads as text on the palette's base colour."""
    color = accent(ERROR)
    return color.lighter(120) if is_dark(palette) else color.darker(115)


def muted_text(palette):
    """Secondary text: halfway between text and background."""
    return blend(palette.color(QtGui.QPalette.Text), palette.color(QtGui.QPalette.Base), 0.45)


def monospace_font(point_size=None):
    font = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.FixedFont)
    if point_size:
        font.setPointSizeF(point_size)
    return font


def severity_pixmap(level, size=18, ratio=1.0):
    """A round (triangle for warnings) severity badge with a white glyph."""
    pixels = int(round(size * ratio))
    pixmap = QtGui.QPixmap(pixels, pixels)
    pixmap.fill(QtCore.Qt.transparent)
    painter = QtGui.QPainter(pixmap)
    painter.setRenderHint(QtGui.QPainter.Antialiasing, True)
    painter.scale(pixels / 18.0, pixels / 18.0)
    painter.setPen(QtCore.Qt.NoPen)
    painter.setBrush(accent(level))
    if level == WARNING:
        painter.drawPolygon(
            QtGui.QPolygonF([QtCore.QPointF(9, 1), QtCore.QPointF(17.5, 16.5), QtCore.QPointF(0.5, 16.5)])
        )
    else:
        painter.drawEllipse(QtCore.QRectF(1, 1, 16, 16))
    pen = QtGui.QPen(QtGui.QColor("white"))
    pen.setCapStyle(QtCore.Qt.RoundCap)
    pen.setJoinStyle(QtCore.Qt.RoundJoin)
    pen.setWidthF(2.0)
    painter.setPen(pen)
    painter.setBrush(QtCore.Qt.NoBrush)
    if level == ERROR:
        painter.drawLine(QtCore.QPointF(6, 6), QtCore.QPointF(12, 12))
        painter.drawLine(QtCore.QPointF(12, 6), QtCore.QPointF(6, 12))
    elif level == SUCCESS:
        painter.drawPolyline(
            QtGui.QPolygonF([QtCore.QPointF(5, 9.5), QtCore.QPointF(8, 12.5), QtCore.QPointF(13, 6)])
        )
    elif level == WARNING:
        painter.drawLine(QtCore.QPointF(9, 6.5), QtCore.QPointF(9, 10.5))
        painter.drawPoint(QtCore.QPointF(9, 13.6))
    elif level == MOCK:  # a "play" triangle: a recording played back
        painter.setPen(QtCore.Qt.NoPen)
        painter.setBrush(QtGui.QColor("white"))
        painter.drawPolygon(
            QtGui.QPolygonF([QtCore.QPointF(7, 5), QtCore.QPointF(13.5, 9), QtCore.QPointF(7, 13)])
        )
    else:  # notice: an "i"
        painter.drawPoint(QtCore.QPointF(9, 5.5))
        painter.drawLine(QtCore.QPointF(9, 8.5), QtCore.QPointF(9, 13))
    painter.end()
    if ratio != 1.0:
        pixmap.setDevicePixelRatio(ratio)
    return pixmap


def severity_icon(level, size=18):
    icon = QtGui.QIcon()
    icon.addPixmap(severity_pixmap(level, size, 1.0))
    icon.addPixmap(severity_pixmap(level, size, 2.0))
    return icon


def human_duration(seconds):
    """``75`` -> ``1:15``; ``3725`` -> ``1:02:05``; None -> ``-``."""
    if seconds is None:
        return "-"
    try:
        total = int(round(float(seconds)))
    except (TypeError, ValueError):
        return "-"
    total = max(0, total)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "{:d}:{:02d}:{:02d}".format(hours, minutes, secs)
    return "{:d}:{:02d}".format(minutes, secs)


def short_path(path, base):
    """``path`` relative to ``base`` when inside it (``sample_show/tex/a.tx``), else as is."""
    if not base or not path:
        return path
    prefix = base.replace("\\", "/").rstrip("/") + "/"
    norm = path.replace("\\", "/")
    return norm[len(prefix):] if norm.startswith(prefix) else path


TIP_WRAP = 80


def wrap_tip(text):
    """A tooltip that wraps at about 80 characters instead of running across the screen.

    Qt wraps rich-text tooltips (a word-wrapped label about 80 average
    characters wide) but shows plain text on one line, so long plain text is
    turned into escaped rich text; short or already rich text is kept.
    """
    if not text or len(text) <= TIP_WRAP or text.lstrip().startswith("<"):
        return text
    return "<qt>{}</qt>".format(html.escape(text).replace("\n", "<br>"))


def wrap_tooltips(root):
    """Wrap the long tooltips of ``root`` and every widget below it (see :func:`wrap_tip`)."""
    for widget in [root] + root.findChildren(QtWidgets.QWidget):
        tip = widget.toolTip()
        wrapped = wrap_tip(tip)
        if wrapped != tip:
            widget.setToolTip(wrapped)
