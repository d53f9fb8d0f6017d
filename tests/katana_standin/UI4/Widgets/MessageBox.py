"""Stand-in for ``UI4.Widgets.MessageBox`` (test equipment, not Katana).

Modal message boxes are not shown.  Each call is recorded
(``katana_standin_control.message_box_calls()``) and returns the next
scripted answer (``katana_standin_control.set_message_box_answers``), else
the default answer ``0`` - the accept button (documented: 0 = accept).

Signatures from the ``types-katana`` stubs (Katana 5.0v5).  Stand-in guess:
which answer a button gives beyond 0 = accept (the cancel button is 1).
"""

from _katana_standin import state


def _show(kind, title, text, acceptText, cancelText, parent, detailedText):
    S = state.S
    S.message_box_calls.append({
        "kind": kind,
        "title": title,
        "text": text,
        "acceptText": acceptText,
        "cancelText": cancelText,
        "parent": parent,
        "detailedText": detailedText,
    })
    if S.message_box_answers:
        return S.message_box_answers.popleft()
    return S.message_box_default


def Warning(title, text, acceptText=None, cancelText=None, parent=None, detailedText=None):
    """Warning box; returns the scripted answer (0 = accept)."""
    return _show("Warning", title, text, acceptText, cancelText, parent, detailedText)


def Critical(title, text, acceptText=None, cancelText=None, parent=None, detailedText=None):
    """Critical box; returns the scripted answer (0 = accept)."""
    return _show("Critical", title, text, acceptText, cancelText, parent, detailedText)


def Information(title, text, acceptText=None, cancelText=None, parent=None, detailedText=None):
    """Information box; returns the scripted answer (0 = accept)."""
    return _show("Information", title, text, acceptText, cancelText, parent, detailedText)


def Question(title, text, acceptText=None, cancelText=None, parent=None, detailedText=None):
    """Question box; returns the scripted answer (0 = accept)."""
    return _show("Question", title, text, acceptText, cancelText, parent, detailedText)
