"""An embedded Conductor sandbox for one command.

Layer: standalone. ``ciokatana submit/preview/validate/list --sandbox``,
``ciokatana demo`` and ``ciokatana gui --sandbox`` start the local sandbox
(:mod:`ciokatana.sandbox`) in this process and point ciocore at it with a
throw-away API key for the duration, so nothing leaves the machine.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Optional


@contextmanager
def embedded_sandbox(storage_dir: Optional[str], home: str, out, throwaway: str = "throw-away API key"):
    """Start a sandbox and point ciocore at it (HOME ``home``) for the block.

    Yields ``(sandbox, config)``; ``config.database_filepath`` is the md5
    cache ciocore uses meanwhile. Says on ``out`` where the sandbox is and
    that ``throwaway`` credentials are used.
    """
    from ciokatana.sandbox import Sandbox, configure_ciocore

    sandbox = Sandbox(storage_dir=storage_dir).start()
    try:
        with configure_ciocore(sandbox.url, sandbox.api_key, home) as cfg:
            out.write("Embedded Conductor sandbox at {} ({}; nothing leaves this machine)\n".format(
                sandbox.url, throwaway))
            yield sandbox, cfg
    finally:
        sandbox.stop()
