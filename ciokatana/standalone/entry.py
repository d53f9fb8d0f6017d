"""The ``ciokatana`` console script's entry point.

Layer: standalone. Deliberately tiny: it imports nothing heavy before its
``try``, so a Ctrl-C at any moment of start-up (while ciocore and the rest
are still being imported) ends in one line and exit code 3, never a
``KeyboardInterrupt`` traceback.
"""

import sys

from ciokatana.core import interrupt
from ciokatana.standalone.exit_codes import EXIT_INTERRUPTED


def console_main() -> None:
    try:
        # A Ctrl-C Python loses (raised inside one of its own callbacks during
        # an import) is still seen: below, and before any job is sent.
        interrupt.install()
        from ciokatana.standalone.cli import main

        interrupt.check()
        code = main()
    except KeyboardInterrupt:
        try:
            sys.stderr.write("\nciokatana: interrupted\n")
        except (KeyboardInterrupt, OSError):  # pragma: no cover - a second Ctrl-C
            pass
        code = EXIT_INTERRUPTED
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    console_main()
