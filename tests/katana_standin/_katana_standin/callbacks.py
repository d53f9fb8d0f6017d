"""Engine of ``Callbacks``: synchronous callbacks by type.

Documented (Developer Guide 4.0+): ``addCallback(callbackType, callbackFcn,
callbackObjectHash=None)`` / ``delCallback(...)`` with the same arguments;
callbacks run synchronously and should accept ``**kwargs``.
"""

from . import events, state


class Type(object):
    """The callback types (``Callbacks.Type.<name>``).

    Member list from a 3.x/4.x session (reference sheet 6.4).  Stand-in guess
    [unverified]: each member's value is its own name as a string.
    """

    exportAsset = "exportAsset"
    finalize3DNodeChanges = "finalize3DNodeChanges"
    onGafferLightCreated = "onGafferLightCreated"
    onGafferMasterMaterialCreated = "onGafferMasterMaterialCreated"
    onGafferRigCreated = "onGafferRigCreated"
    onGafferShaderSelected = "onGafferShaderSelected"
    onLiveRenderCommand = "onLiveRenderCommand"
    onLiveRenderUpdate = "onLiveRenderUpdate"
    onLookFileMaterialActiveSet = "onLookFileMaterialActiveSet"
    onLookFileMaterialSet = "onLookFileMaterialSet"
    onMasterMaterialAssigned = "onMasterMaterialAssigned"
    onNewScene = "onNewScene"
    onNodeCreate = "onNodeCreate"
    onNodeDelete = "onNodeDelete"
    onRenderSetup = "onRenderSetup"
    onSceneAboutToLoad = "onSceneAboutToLoad"
    onSceneLoad = "onSceneLoad"
    onSceneSave = "onSceneSave"
    onShutdown = "onShutdown"
    onStartup = "onStartup"
    onStartupComplete = "onStartupComplete"
    onTabCreated = "onTabCreated"
    postLiveGroupPublish = "postLiveGroupPublish"
    postLookFileBake = "postLookFileBake"
    preLiveGroupPublish = "preLiveGroupPublish"
    preLookFileBake = "preLookFileBake"


_TYPES = frozenset(v for k, v in vars(Type).items() if not k.startswith("_"))


def _check_type(callbackType):
    if callbackType not in _TYPES:
        raise ValueError("katana stand-in: unknown callback type %r" % (callbackType,))


def addCallback(callbackType, callbackFcn, callbackObjectHash=None):
    """Register ``callbackFcn`` for ``callbackType`` (a ``Callbacks.Type`` member).

    The function is called as ``callbackFcn(objectHash=callbackObjectHash,
    **kwargs)``.  Callbacks are held by strong reference and run in
    registration order.

    Stand-in guesses [unverified]: an unknown type raises ``ValueError``; adding
    the same (type, function, hash) twice registers it once.
    """
    _check_type(callbackType)
    entries = state.S.callbacks.setdefault(callbackType, [])
    for fcn, h in entries:
        if fcn == callbackFcn and h == callbackObjectHash:
            return
    entries.append((callbackFcn, callbackObjectHash))


def delCallback(callbackType, callbackFcn, callbackObjectHash=None):
    """Remove a callback registered with the same arguments (no error if absent)."""
    entries = state.S.callbacks.get(callbackType, [])
    entries[:] = [e for e in entries if not (e[0] == callbackFcn and e[1] == callbackObjectHash)]


def fire(callbackType, **kwargs):
    """Run every callback of ``callbackType`` (stand-in internal).

    Exceptions are logged and recorded, as Katana logs them, and the remaining
    callbacks still run.
    """
    _check_type(callbackType)
    for fcn, h in list(state.S.callbacks.get(callbackType, [])):
        try:
            fcn(objectHash=h, **kwargs)
        except Exception:
            events._record_error("callback %r for %s" % (fcn, callbackType))
