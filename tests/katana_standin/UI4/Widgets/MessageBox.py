"""Stand-in for ``UI4.Widgets.MessageBox`` (test equipment, not Katana).

Modal message boxes are not shown.  Each call is recorded
(``katana_standin_control.message_box_calls()``) and returns the next
scripted answer (``katana_standin_control.set_message_box_answers``), else
the default answer ``0`` - the accept button (documented: 0 = accept).

Stand-in guesses [unverified]: the keyword defaults; ``Information`` takes
the same arguments as ``Warning``.
"""

from _katana_standin import state


def _show(kind, title, text, acceptText, cancelText, detailedText, extra):
    S = state.S
    S.message_box_calls.append({
        "kind": kind,
        "title": title,
        "text": text,
        "acceptText": acceptText,
        "cancelText": cancelText,
        "detailedText": detailedText,
        "kwargs": dict(extra),
    })
    if S.message_box_answers:
        return S.message_box_answers.popleft()
    return S.message_box_default


def Warning(title, text, acceptText="OK", cancelText=None, detailedText=None, **kwargs):
    """Warning box; returns the scripted answer (0 = accept)."""
    return _show("Warning", title, text, acceptText, cancelText, detailedText, kwargs)


def Critical(title, text, acceptText="OK", cancelText=None, detailedText=None, **kwargs):
    """Critical box; returns the scripted answer (0 = accept)."""
    return _show("Critical", title, text, acceptText, cancelText, detailedText, kwargs)


def Information(title, text, acceptText="OK", cancelText=None, detailedText=None, **kwargs):
    """Information box; returns the scripted answer (0 = accept)."""
    return _show("Information", title, text, acceptText, cancelText, detailedText, kwargs)
