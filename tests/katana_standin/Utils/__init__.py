"""Stand-in for Katana's ``Utils`` package (test equipment, not Katana).

Imitates the two members the plugin uses: ``Utils.EventModule`` (the event
queue) and ``Utils.UndoStack`` (undo grouping, counted no-ops).
"""

from . import EventModule, UndoStack  # noqa: F401
