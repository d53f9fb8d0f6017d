"""Stand-in for ``Utils.UndoStack`` (test equipment, not Katana).

Imitates the undo-grouping calls as no-ops that are counted, so tests can
check that groups are balanced (``katana_standin_control.undo_stats()``).
Nothing is ever undone.
"""

from _katana_standin import state


def _count(name):
    state.S.undo[name] += 1


def OpenGroup(groupName=""):
    """Open an undo group (counted; the name is recorded)."""
    _count("OpenGroup")
    state.S.undo["depth"] += 1
    state.S.undo["labels"].append(groupName)


def CloseGroup(discard=False):
    """Close the innermost undo group (counted).

    Stand-in guesses: closing with no open group is not an error; it is
    counted as ``unbalanced``; ``discard`` (drop the group's changes from the
    undo history) changes nothing, since nothing is ever undone.
    """
    _count("CloseGroup")
    if state.S.undo["depth"] > 0:
        state.S.undo["depth"] -= 1
    else:
        state.S.undo["unbalanced"] += 1


def DisableCapture():
    """Stop recording undo entries (counted, nestable)."""
    _count("DisableCapture")
    state.S.undo["captureDisabledDepth"] += 1


def EnableCapture():
    """Resume recording undo entries (counted)."""
    _count("EnableCapture")
    if state.S.undo["captureDisabledDepth"] > 0:
        state.S.undo["captureDisabledDepth"] -= 1
    else:
        state.S.undo["unbalanced"] += 1


def Undo():
    """Counted no-op (behaviour guessed; the name is in the stubs)."""
    _count("Undo")


def Redo():
    """Counted no-op (behaviour guessed; the name is in the stubs)."""
    _count("Redo")
