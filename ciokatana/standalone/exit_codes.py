"""The ``ciokatana`` command's exit codes, in one table.

Layer: standalone (imports nothing, so the console script's entry point can
use it before anything heavy is imported).
"""

EXIT_OK = 0  # done: printed, valid, every job submitted (or replayed)
EXIT_FAILED = 1  # validation errors, or a job failed
EXIT_USAGE = 2  # bad input: flags, scene file, mock file, no Qt binding
EXIT_INTERRUPTED = 3  # Ctrl-C, or a submission cancelled
EXIT_INTERNAL = 70  # a bug (EX_SOFTWARE); --debug shows the traceback
