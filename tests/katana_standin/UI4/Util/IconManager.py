"""Stand-in for ``UI4.Util.IconManager`` (test equipment, not Katana)."""

from _katana_standin import qtbridge


class _Pixmap(object):
    """Plain placeholder returned when no Qt binding is loaded."""

    def __init__(self, path):
        self.path = path

    def isNull(self):
        return True


def GetPixmap(path):
    """An (empty) pixmap for the icon ``path``.

    Stand-in behaviour: a plain placeholder with ``isNull()``; a null
    ``QtGui.QPixmap`` after ``katana_standin_control.use_qt(...)``.
    """
    QtGui = qtbridge.gui()
    if QtGui is not None:
        return QtGui.QPixmap()
    return _Pixmap(path)
