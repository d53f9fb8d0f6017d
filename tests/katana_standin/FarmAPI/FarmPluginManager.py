"""Stand-in for ``FarmAPI.FarmPluginManager`` (test equipment, not Katana).

Names and signatures are those of the ``types-katana==5.0.5.0`` stubs
(``PyUtilModule/FarmAPI/FarmPluginManager.pyi``).  Farm plug-ins are
registered the way Katana finds them: ``("FarmPlugin", 2.0, name, cls)``
entries of ``PluginRegistry`` in ``Plugins/*.py`` of a resource root, loaded
with ``katana_standin_control.load_plugins(dir)``.  There is no
``RegisterPlugin``.

Every function taking ``farm`` uses that plug-in (by name), else the default
farm; one instance per plug-in class and session.

Stand-in guesses (the stubs give signatures, not behaviour):

- ``GetDefaultFarm()`` is the farm set with ``SetDefaultFarm``, else the
  first registered, else ``''``; an unknown or missing farm raises
  ``FarmPluginManagerException``.
- ``CreateRenderContextName(sequenceID=None)`` is ``"render_<n>"`` (a
  session counter) or ``"render_<sequenceID>"``.
- ``SubmitJob`` builds a ``JobRequest`` whose ``frames`` are the node's active
  frame range (``farmSettings.activeFrameRange`` when set, else the scene
  range) as ints, whose ``environment`` comes from the plug-in's
  ``getEnvironmentForJob(renderContextName)``, and hands it to ``submitJob``.
- ``PrepareRemoteCommand`` replaces the session temp dir with the remote one
  and, when the plug-in's installation metadata names a ``katanaRoot``, the
  local ``KATANA_ROOT`` with it.
- ``GetJobs(filters=None)`` passes ``[]`` for ``None``.
- ``Initialize()`` and ``LoadFarmPlugins()`` are no-ops.
"""

import os

from _katana_standin import farmplugins, state


class FarmPluginManagerException(Exception):
    """No farm plug-in, or an unknown one."""


class JobRequest(object):
    """What ``BaseFarmPlugin.submitJob`` receives; the arguments are kept as attributes."""

    def __init__(self, nodeName, renderContextName, frames, commands, environment, tempDir):
        self.nodeName = nodeName
        self.renderContextName = renderContextName
        self.frames = frames
        self.commands = commands
        self.environment = environment
        self.tempDir = tempDir

    def __repr__(self):
        return "<JobRequest %r %s frames=%r>" % (self.nodeName, self.renderContextName, self.frames)


def _plugin(farm):
    name = farm or GetDefaultFarm()
    if not name:
        raise FarmPluginManagerException("no render farm plug-in is registered")
    plugin = farmplugins.instance(name)
    if plugin is None:
        raise FarmPluginManagerException("no render farm plug-in named %r" % (name,))
    return plugin


def Initialize():
    """No-op in the stand-in (plug-ins come from ``load_plugins``)."""


def LoadFarmPlugins():
    """No-op in the stand-in (plug-ins come from ``load_plugins``)."""


def GetFarmPluginNames():
    """Names of the registered farm plug-ins, in registration order."""
    return list(state.S.farm_plugins)


def GetDefaultFarm():
    S = state.S
    if S.default_farm and S.default_farm in S.farm_plugins:
        return S.default_farm
    return next(iter(S.farm_plugins), "")


def SetDefaultFarm(farm):
    if farm not in state.S.farm_plugins:
        raise FarmPluginManagerException("no render farm plug-in named %r" % (farm,))
    state.S.default_farm = farm


def CreateRenderContextName(sequenceID=None):
    if sequenceID is None:
        state.S.render_context_counter += 1
        sequenceID = state.S.render_context_counter
    return "render_%s" % (sequenceID,)


def CreateTemporaryDirectory(renderContextName, farm=None):
    return _plugin(farm).createTemporaryDirectory(renderContextName)


def CopyRenderFiles(renderFiles, renderContextName=None, farm=None):
    return _plugin(farm).copyRenderFiles(list(renderFiles), renderContextName)


def PrepareRemoteCommand(localCommandLine, renderContextName, remoteTempDirectory, farm=None):
    plugin = _plugin(farm)
    command = localCommandLine
    local_tmp = state.ensure_temp_dir()
    if local_tmp and remoteTempDirectory:
        command = command.replace(local_tmp, remoteTempDirectory)
    metadata = plugin.getRemoteInstallationMetadata()
    root = os.environ.get("KATANA_ROOT", "")
    remote_root = getattr(metadata, "katanaRoot", "") if metadata is not None else ""
    if root and remote_root:
        command = command.replace(root, remote_root)
    return command


def SubmitJob(nodeName, renderContextName, remoteTempDir, commands, farm=None):
    plugin = _plugin(farm)
    request = JobRequest(
        nodeName,
        renderContextName,
        farmplugins.frames_of(nodeName),
        list(commands),
        plugin.getEnvironmentForJob(renderContextName),
        remoteTempDir,
    )
    return plugin.submitJob(request)


def GetJobs(filters=None, farm=None):
    return _plugin(farm).getJobs(list(filters) if filters is not None else [])


def GetJobState(jobId, farm=None):
    return _plugin(farm).getJobState(jobId)


def GetRenderLogFilename(jobId, farm=None):
    return _plugin(farm).getRenderLogFilename(jobId)


def StartJob(jobId, farm=None):
    return _plugin(farm).startJob(jobId)


def StopJob(jobId, farm=None):
    return _plugin(farm).stopJob(jobId)
