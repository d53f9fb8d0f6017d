"""Engine of ``Utils.EventModule``: a queue of ``(eventType, eventID, kwargs)``.

Documented behaviour imitated (Katana Developer Guide, "Callbacks and Events",
4.0-8.0): events are queued and delivered only when ``ProcessEvents`` runs;
handlers filter on eventType and/or eventID (``None`` matches everything);
handlers are held by **weak reference**, so a handler whose owner was garbage
collected is silently dropped.
"""

import logging
import traceback
import weakref

from . import state

log = logging.getLogger("katana_standin")

PRIORITY_EVENT = 100
_MAX_PASSES = 10000


class _StrongRef(object):
    """Used for callables that cannot be weakly referenced (builtins)."""

    __slots__ = ("obj",)

    def __init__(self, obj):
        self.obj = obj

    def __call__(self):
        return self.obj


def _make_ref(fn):
    if getattr(fn, "__self__", None) is not None and hasattr(fn, "__func__"):
        return weakref.WeakMethod(fn)
    try:
        return weakref.ref(fn)
    except TypeError:
        return _StrongRef(fn)


def _same(ref, fn):
    target = ref()
    return target is not None and (target is fn or target == fn)


def _record_error(where):
    text = traceback.format_exc()
    state.S.handler_errors.append((where, text))
    log.error("katana stand-in: exception in %s\n%s", where, text)


def _register(table, handler, eventType, eventID, enabled):
    for i, (ref, etype, eid) in enumerate(list(table)):
        if etype == eventType and eid == eventID and _same(ref, handler):
            if not enabled:
                del table[i]
            return
    if enabled:
        table.append((_make_ref(handler), eventType, eventID))


def _unregister(table, handler, eventType, eventID):
    table[:] = [
        entry
        for entry in table
        if not (entry[1] == eventType and entry[2] == eventID and _same(entry[0], handler))
    ]


def RegisterEventHandler(handler, eventType=None, eventID=None, enabled=True):
    """Register ``handler`` for events of ``eventType``/``eventID``.

    ``None`` for either filter matches every event.  ``enabled=False`` removes
    an earlier registration with the same arguments.

    Stand-in guess [unverified]: the handler is called as
    ``handler(eventType, eventID, **kwargs)``, once per matching event.
    """
    _register(state.S.event_handlers, handler, eventType, eventID, enabled)


def UnregisterEventHandler(handler, eventType=None, eventID=None):
    """Remove a handler registered with the same ``eventType``/``eventID``.

    Name and signature as in the stubs; passing ``enabled=False`` to the
    register call does the same and is the documented way.
    """
    _unregister(state.S.event_handlers, handler, eventType, eventID)


def RegisterCollapsedHandler(handler, eventType=None, eventID=None, enabled=True):
    """Register a handler called once per processing pass.

    The handler receives one list of ``(eventType, eventID, kwargsDict)``
    tuples: every matching event of that pass.  ``enabled=False`` removes.
    """
    _register(state.S.collapsed_handlers, handler, eventType, eventID, enabled)


def UnregisterCollapsedHandler(handler, eventType=None, eventID=None):
    """Remove a collapsed handler (same arguments as the registration)."""
    _unregister(state.S.collapsed_handlers, handler, eventType, eventID)


def RegisterEventFilter(eventFilter):
    """Register a filter called for every event when it is queued.

    Stand-in guess [unverified]: the filter is called as
    ``eventFilter(eventType, eventID, **kwargs)``; its return value is ignored
    (the stand-in never drops events).  Held by weak reference.
    """
    state.S.event_filters.append(_make_ref(eventFilter))


def QueueEvent(eventType, eventID, priority=0, **kwargs):
    """Add an event to the queue; handlers run on the next ``ProcessEvents``.

    ``priority`` > 0 is processed before normal (0) and < 0 after, first in,
    first out within one priority.
    """
    S = state.S
    for ref in list(S.event_filters):
        fn = ref()
        if fn is None:
            S.event_filters.remove(ref)
            continue
        try:
            fn(eventType, eventID, **kwargs)
        except Exception:
            _record_error("event filter %r" % (fn,))
    S.event_seq += 1
    S.event_queue.append((priority, S.event_seq, eventType, eventID, kwargs))


def QueuePriorityEvent(eventType, eventID, **kwargs):
    """Queue an event to be handled before normal-priority ones."""
    QueueEvent(eventType, eventID, priority=PRIORITY_EVENT, **kwargs)


def _matches(entry, eventType, eventID):
    return (entry[1] is None or entry[1] == eventType) and (entry[2] is None or entry[2] == eventID)


def _live(table):
    alive = []
    for entry in list(table):
        fn = entry[0]()
        if fn is None:
            if entry in table:
                table.remove(entry)
            continue
        alive.append((fn, entry))
    return alive


def ProcessEvents():
    """Deliver every event queued so far; return True if there were any.

    Events queued by handlers during this pass wait for the next pass (use
    ``ProcessAllEvents`` to drain).  A handler that raises is logged and the
    others still run (the traceback is kept for
    ``katana_standin_control.handler_errors()``).
    """
    S = state.S
    if not S.event_queue:
        return False
    batch = sorted(S.event_queue, key=lambda e: (-e[0], e[1]))
    del S.event_queue[:]
    for _priority, _seq, eventType, eventID, kwargs in batch:
        for fn, entry in _live(S.event_handlers):
            if _matches(entry, eventType, eventID):
                try:
                    fn(eventType, eventID, **kwargs)
                except Exception:
                    _record_error("event handler %r for %r" % (fn, eventType))
    for fn, entry in _live(S.collapsed_handlers):
        args = [(e[2], e[3], e[4]) for e in batch if _matches(entry, e[2], e[3])]
        if args:
            try:
                fn(args)
            except Exception:
                _record_error("collapsed handler %r" % (fn,))
    return True


def ProcessAllEvents():
    """Call ``ProcessEvents`` until the queue stays empty."""
    for _ in range(_MAX_PASSES):
        if not ProcessEvents():
            return
    raise RuntimeError("katana stand-in: events keep queueing themselves (%d passes)" % _MAX_PASSES)
