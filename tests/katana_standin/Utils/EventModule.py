"""Stand-in for ``Utils.EventModule`` (test equipment, not Katana).

Imitates Katana's event queue as documented in "Callbacks and Events"
(4.0-8.0): queued events, handlers filtered by type/ID, collapsed handlers,
weakly held handlers, ``ProcessEvents``/``ProcessAllEvents``.  The node graph
queues ``node_create``, ``node_delete``, ``node_setName``,
``node_setSelected``, ``node_setBypassed``, ``parameter_setValue``,
``parameter_finalizeValue``, ``parameter_deleteChild``, ``port_connect``,
``port_disconnect`` and ``nodegraph_loadEnd``.  Nothing is delivered until a
test (or the code under test) calls ``ProcessEvents``/``ProcessAllEvents``.

Stand-in guesses [unverified]: the ``eventID`` of graph events is
``hash(node)`` / ``hash(param)`` / ``hash(port)``; kwargs are ``node`` (node
events), ``node`` + ``param`` (parameter events), ``oldName``/``newName``
(``node_setName``), ``nodeName`` (``node_delete``), ``selected`` /
``bypassed`` (flag events), ``nodeNameA``/``portNameA``/``nodeNameB``/
``portNameB`` (port events), ``filename`` (``nodegraph_loadEnd``).

Implementation and further guesses: ``_katana_standin.events``.
"""

from _katana_standin.events import (  # noqa: F401
    ProcessAllEvents,
    ProcessEvents,
    QueueEvent,
    QueuePriorityEvent,
    RegisterCollapsedHandler,
    RegisterEventFilter,
    RegisterEventHandler,
    UnregisterCollapsedHandler,
    UnregisterEventHandler,
)
