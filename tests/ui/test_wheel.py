"""Scrolling the Configure page never changes a setting: the wheel needs a focused field."""

import os

from ciokatana.qt import QtCore, QtWidgets


def wheel(widget, steps=-1):
    """Send one wheel notch (down for negative steps) to the middle of a widget."""
    from ciokatana.qt import QtGui

    centre = QtCore.QPointF(widget.width() / 2.0, widget.height() / 2.0)
    event = QtGui.QWheelEvent(
        centre, QtCore.QPointF(widget.mapToGlobal(centre.toPoint())), QtCore.QPoint(0, 0),
        QtCore.QPoint(0, 120 * steps), QtCore.Qt.NoButton, QtCore.Qt.NoModifier, QtCore.Qt.NoScrollPhase, False,
    )
    QtWidgets.QApplication.sendEvent(widget, event)


def _configure(dialog, qtbot):
    dialog.activateWindow()  # focus exists only in the active window
    qtbot.waitUntil(dialog.isActiveWindow)
    configure = dialog.tab("configure")
    configure.set_all_expanded(True)
    dialog.show_tab("configure")
    return configure


def test_the_wheel_over_an_unfocused_combo_scrolls_the_page_and_changes_nothing(
        make_dialog, scene, shot_path, mock_feature, ui, qtbot):
    dialog = make_dialog(scene)
    configure = _configure(dialog, qtbot)
    combo = ui.section(dialog, "Advanced").mock_mode_combo
    configure.scroll.ensureWidgetVisible(combo)
    QtWidgets.QApplication.processEvents()
    dialog.tab("configure").setFocus()
    bar = configure.scroll.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    before_index, before_settings = combo.currentIndex(), dialog.controller.settings
    before_file = os.stat(shot_path).st_mtime_ns
    position = bar.value()

    wheel(combo, -1)
    wheel(combo, -1)
    assert combo.currentIndex() == before_index
    assert dialog.controller.settings == before_settings
    assert not dialog.controller.save_pending
    assert bar.value() != position  # the page scrolled instead
    qtbot.wait(400)  # longer than the store debounce
    assert os.stat(shot_path).st_mtime_ns == before_file

    combo.setFocus(QtCore.Qt.MouseFocusReason)  # clicked into: now the wheel is the artist's choice
    qtbot.waitUntil(combo.hasFocus)
    wheel(combo, -1)
    assert combo.currentIndex() != before_index
    assert dialog.controller.settings.mock_mode != before_settings.mock_mode


def test_every_combo_and_spin_box_of_the_dialog_is_guarded(make_dialog, scene, mock_feature, ui, qtbot):
    dialog = make_dialog(scene)
    configure = _configure(dialog, qtbot)
    ui.click(ui.section(dialog, "Environment").editor.add_button)  # a row made after the dialog
    fields = [w for kind in (QtWidgets.QComboBox, QtWidgets.QAbstractSpinBox) for w in dialog.findChildren(kind)]
    assert len(fields) >= 7
    dialog.tab("configure").setFocus()
    settings = dialog.controller.settings
    for field in fields:
        assert field.focusPolicy() == QtCore.Qt.StrongFocus, field
        value = field.currentIndex() if isinstance(field, QtWidgets.QComboBox) else field.value()
        wheel(field, 1)
        wheel(field, -1)
        wheel(field, -1)
        after = field.currentIndex() if isinstance(field, QtWidgets.QComboBox) else field.value()
        assert after == value, "the wheel changed {}".format(field)
    assert dialog.controller.settings == settings
    assert configure.isVisible()
