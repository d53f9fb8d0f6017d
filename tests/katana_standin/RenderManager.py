"""Stand-in for Katana's ``RenderManager`` (test equipment, not Katana).

Imitates the entry point ``StartRender`` (reference sheet 5.2) without
rendering anything: the call is recorded (``katana_standin_control.
render_calls()``) and a ``renderStarted`` event is queued.
"""

from _katana_standin import events, state


class RenderingException(Exception):
    """Raised for renders Katana refuses (documented name)."""


def _method_type(renderMethodName):
    name = (renderMethodName or "").lower()
    for prefix, kind in (("preview", "previewRender"), ("live", "liveRender"), ("disk", "diskRender")):
        if name.startswith(prefix):
            return kind
    return ""


def StartRender(renderMethodName, node=None, port=None, nodeList=None, portList=None,
                serialDiskRenderNodeList=None, views=None, settings=None, **kwargs):
    """Record a render request; returns ``[]`` (no outputs are produced).

    Queues ``renderStarted`` (kwargs ``node``, ``renderer``,
    ``renderMethodType``, ``renderMethodName``).  A disk render of a node that
    is not a Render node raises ``RenderingException`` (documented).

    Stand-in guesses [unverified]: ``renderMethodType`` is derived from the
    method name prefix (``preview``/``live``/``disk``); ``renderer`` is the
    session default renderer.
    """
    methodType = _method_type(renderMethodName)
    if methodType == "diskRender" and node is not None and node.getType() != "Render":
        raise RenderingException("Disk Render needs a Render node, got %s" % node.getType())
    call = {
        "renderMethodName": renderMethodName,
        "renderMethodType": methodType,
        "node": node,
        "port": port,
        "nodeList": nodeList,
        "portList": portList,
        "serialDiskRenderNodeList": serialDiskRenderNodeList,
        "views": views,
        "settings": settings,
        "kwargs": dict(kwargs),
    }
    state.S.render_calls.append(call)
    events.QueueEvent("renderStarted", hash(node) if node is not None else None, node=node,
                      renderer=state.S.default_renderer, renderMethodType=methodType,
                      renderMethodName=renderMethodName)
    return []
