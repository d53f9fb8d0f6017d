"""Runs kept for the whole host session (Katana's process), per scene.

Layer: ui, but Qt-free. The dialog is deleted when it closes, yet the
artist expects the Response tab to still list the jobs of earlier runs when
they open it again from the same scene in the same Katana session. The
controller keeps its :class:`~ciokatana.ui.runs.RunRecord` list here,
keyed by the scene's saved file, so a reopened dialog shows them (newest
first, as before) and numbers its next run after them. Nothing is written
to disk: a new Katana session starts with no runs (the scene's stored
submission history still gives the "already submitted" notice).
"""

import threading

MAX_RUNS = 50  # per scene; the oldest are dropped

_lock = threading.Lock()
_runs = {}


def scene_key(scene):
    """The key runs are kept under: the scene's kind and saved file (``untitled`` when unsaved)."""
    try:
        path = scene.katana_file() or ""
    except Exception:  # a scene that cannot be read now: a key of its own
        path = "<unreadable {}>".format(id(scene))
    return "{}:{}".format(type(scene).__name__, path or "untitled")


def runs_for(scene):
    """The session's list of runs for this scene (the same list object on every call)."""
    with _lock:
        return _runs.setdefault(scene_key(scene), [])


def trim(runs):
    """Drop the oldest runs beyond :data:`MAX_RUNS` (in place)."""
    with _lock:
        del runs[:max(0, len(runs) - MAX_RUNS)]


def forget(scene=None):
    """Forget the runs of one scene, or of every scene (a new session; tests)."""
    with _lock:
        if scene is None:
            _runs.clear()
        else:
            _runs.pop(scene_key(scene), None)
