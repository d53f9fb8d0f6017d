"""Run the local Conductor sandbox: ``python -m ciokatana.sandbox --port 8765``.

Layer: sandbox (test and demo tooling).
"""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
