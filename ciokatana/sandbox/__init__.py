"""A local Conductor service for tests, demos and benchmarks.

Layer: sandbox. Stdlib only (ciocore is imported only by
:mod:`ciokatana.sandbox.client`, when called); imports neither Qt nor Katana.

ciocore's real code runs against it end to end on 127.0.0.1::

    from ciokatana.sandbox import Sandbox, configure_ciocore

    with Sandbox() as sandbox:
        with configure_ciocore(sandbox.url, sandbox.api_key, tmp_home):
            ...  # ciocore.api_client / conductor_submit.Submit talk to the sandbox
        sandbox.jobs, sandbox.files, sandbox.upload_log, sandbox.requests

Modules: :mod:`.server` (HTTP server, lifecycle, auth), :mod:`.endpoints`
(what each Conductor call answers), :mod:`.faults` (fault
injection), :mod:`.catalog` (projects, instance types, packages),
:mod:`.storage` (files by md5), :mod:`.jobs` (accepted jobs), :mod:`.client`
(pointing ciocore at a sandbox), :mod:`.cli` (the command line).
"""

from .client import CiocoreSandboxConfig, client_env, configure_ciocore
from .faults import ENDPOINTS, Fault, FaultTable
from .server import Sandbox
from .storage import StoredFile, b64_md5

__all__ = [
    "ENDPOINTS",
    "CiocoreSandboxConfig",
    "Fault",
    "FaultTable",
    "Sandbox",
    "StoredFile",
    "b64_md5",
    "client_env",
    "configure_ciocore",
]
