"""Stand-in for ``FarmAPI.BaseFarmPlugin`` (test equipment, not Katana).

Render-farm plug-ins (Katana 4.0+) subclass :class:`BaseFarmPlugin` and are
registered through ``PluginRegistry = [("FarmPlugin", 2.0, "Name", Class)]``
in a ``Plugins/`` folder of a resource root; ``FarmAPI.FarmPluginManager``
drives them.  Names and signatures are those of the ``types-katana==5.0.5.0``
stubs (``PyUtilModule/FarmAPI/BaseFarmPlugin.pyi``), checked by
``tests/standin/test_conformance.py``.

Stand-in guesses (the stubs give signatures, not behaviour): every
``BaseFarmPlugin`` method raises ``NotImplementedError`` until a subclass
overrides it; ``Job.State`` values are the state names as strings and
``kAllStates`` is the tuple of the five; ``Job`` and ``JobNotFoundException``
keep their constructor arguments as attributes of the same names.
"""


class FarmPluginException(Exception):
    """Base class of the exceptions a farm plug-in raises."""


class JobNotFoundException(FarmPluginException):
    """A job id the farm does not know.

    Stand-in guess: the message is ``"<contextMessage>: job <jobId> not found"``.
    """

    def __init__(self, jobId, contextMessage):
        super(JobNotFoundException, self).__init__("%s: job %s not found" % (contextMessage, jobId))
        self.jobId = jobId
        self.contextMessage = contextMessage


class Job(object):
    """One job as a farm plug-in reports it (``getJobs``)."""

    class State(object):
        """Job states (stand-in guess: the values are these strings)."""

        kWaiting = "Waiting"
        kRunning = "Running"
        kCompleted = "Completed"
        kFailed = "Failed"
        kCancelled = "Cancelled"
        kAllStates = (kWaiting, kRunning, kCompleted, kFailed, kCancelled)

    def __init__(self, jobId, name, startTime, endTime, state, renderLogFilename):
        self.jobId = jobId
        self.name = name
        self.startTime = startTime
        self.endTime = endTime
        self.state = state
        self.renderLogFilename = renderLogFilename

    def __repr__(self):
        return "<Job %s %r %s>" % (self.jobId, self.name, self.state)


class BaseFarmPlugin(object):
    """Abstract base of render-farm plug-ins.

    Katana calls, for a remote render: ``createTemporaryDirectory``,
    ``copyRenderFiles``, ``getRemoteInstallationMetadata``,
    ``getEnvironmentForJob`` and ``submitJob``; the job list and monitor call
    ``getJobs``, ``getJobState``, ``getRenderLogFilename``, ``startJob`` and
    ``stopJob``.
    """

    class InstallationMetadata(object):
        """Where Katana and the render plug-ins live on the render nodes."""

        def __init__(self, katanaRoot, renderPluginDsoPaths, renderbootCommand=None):
            self.katanaRoot = katanaRoot
            self.renderPluginDsoPaths = renderPluginDsoPaths
            self.renderbootCommand = renderbootCommand

    def _abstract(self, name):
        raise NotImplementedError("%s.%s is not implemented" % (type(self).__name__, name))

    def copyRenderFiles(self, filenames, renderContextName):
        self._abstract("copyRenderFiles")

    def createTemporaryDirectory(self, renderContextName):
        self._abstract("createTemporaryDirectory")

    def getEnvironmentForJob(self, renderContextName):
        self._abstract("getEnvironmentForJob")

    def getJobState(self, jobId):
        self._abstract("getJobState")

    def getJobs(self, filters):
        self._abstract("getJobs")

    def getRemoteInstallationMetadata(self):
        self._abstract("getRemoteInstallationMetadata")

    def getRenderLogFilename(self, jobId):
        self._abstract("getRenderLogFilename")

    def startJob(self, jobId):
        self._abstract("startJob")

    def stopJob(self, jobId):
        self._abstract("stopJob")

    def submitJob(self, jobRequest):
        self._abstract("submitJob")
