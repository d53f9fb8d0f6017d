"""Engine of ``Callbacks``: synchronous callbacks by type.

Documented (Developer Guide 4.0+): ``addCallback(callbackType, callbackFcn,
callbackObjectHash=None)`` / ``delCallback(...)`` with the same arguments;
callbacks run synchronously and should accept ``**kwargs``.
"""

from . import events, state


class _TypeEnum(object):
    """One callback type (``Callbacks.Type.onStartup``): an object, not a string.

    Stand-in guesses (the stubs give only ``get()`` and ``name()``): ``get()``
    is a number unique per type, ``name()`` the type's name.
    """

    _TypeEnum__next = 0

    def __init__(self, name):
        _TypeEnum._TypeEnum__next += 1
        self._ks_id = _TypeEnum._TypeEnum__next
        self._ks_name = name

    def get(self):
        return self._ks_id

    def name(self):
        return self._ks_name

    def __repr__(self):
        return "<Callbacks.Type.%s>" % (self._ks_name,)


class Type(object):
    """The callback types (``Callbacks.Type.<name>``), as Katana 5.0v5 lists them."""

    exportAsset = _TypeEnum("exportAsset")
    finalize3DNodeChanges = _TypeEnum("finalize3DNodeChanges")
    onCatalogGSVPinned = _TypeEnum("onCatalogGSVPinned")
    onGafferLightCreated = _TypeEnum("onGafferLightCreated")
    onGafferMasterMaterialCreated = _TypeEnum("onGafferMasterMaterialCreated")
    onGafferRigCreated = _TypeEnum("onGafferRigCreated")
    onGafferShaderSelected = _TypeEnum("onGafferShaderSelected")
    onGafferTemplateMaterialCreated = _TypeEnum("onGafferTemplateMaterialCreated")
    onGafferThreeSceneGraphViewSetup = _TypeEnum("onGafferThreeSceneGraphViewSetup")
    onGafferThreeTabWidgetSetup = _TypeEnum("onGafferThreeTabWidgetSetup")
    onLiveRenderCommand = _TypeEnum("onLiveRenderCommand")
    onLiveRenderUpdate = _TypeEnum("onLiveRenderUpdate")
    onLookFileMaterialActiveSet = _TypeEnum("onLookFileMaterialActiveSet")
    onLookFileMaterialSet = _TypeEnum("onLookFileMaterialSet")
    onMasterMaterialAssigned = _TypeEnum("onMasterMaterialAssigned")
    onNewScene = _TypeEnum("onNewScene")
    onNodeCreate = _TypeEnum("onNodeCreate")
    onNodeDelete = _TypeEnum("onNodeDelete")
    onRenderSetup = _TypeEnum("onRenderSetup")
    onSceneAboutToLoad = _TypeEnum("onSceneAboutToLoad")
    onSceneLoad = _TypeEnum("onSceneLoad")
    onSceneSave = _TypeEnum("onSceneSave")
    onShutdown = _TypeEnum("onShutdown")
    onStartup = _TypeEnum("onStartup")
    onStartupComplete = _TypeEnum("onStartupComplete")
    onTabCreated = _TypeEnum("onTabCreated")
    onTemplateMaterialAssigned = _TypeEnum("onTemplateMaterialAssigned")
    postLiveGroupPublish = _TypeEnum("postLiveGroupPublish")
    postLookFileBake = _TypeEnum("postLookFileBake")
    preLiveGroupPublish = _TypeEnum("preLiveGroupPublish")
    preLookFileBake = _TypeEnum("preLookFileBake")


def declare(name):
    """Add a callback type (``DeclareCallbackType``); an existing one is returned."""
    existing = getattr(Type, name, None)
    if isinstance(existing, _TypeEnum):
        return existing
    member = _TypeEnum(name)
    setattr(Type, name, member)
    return member


def _check_type(callbackType):
    if not isinstance(callbackType, _TypeEnum) or getattr(Type, callbackType.name(), None) is not callbackType:
        raise ValueError("katana stand-in: %r is not a Callbacks.Type member" % (callbackType,))


def addCallback(callbackType, callbackFcn, callbackObjectHash=None):
    """Register ``callbackFcn`` for ``callbackType`` (a ``Callbacks.Type`` member).

    The function is called as ``callbackFcn(objectHash=callbackObjectHash,
    **kwargs)``.  Callbacks are held by strong reference and run in
    registration order.

    Stand-in guesses: anything but a ``Callbacks.Type`` member (a string, for
    one) raises ``ValueError``; adding the same (type, function, hash) twice
    registers it once.
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
