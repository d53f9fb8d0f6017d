"""Command line for the local Conductor sandbox: ``ciokatana sandbox`` / ``python -m ciokatana.sandbox``.

Layer: sandbox (test and demo tooling; stdlib only, no Qt, no Katana).

Starts a :class:`~ciokatana.sandbox.server.Sandbox`, prints its URL and the
shell lines that point ciocore at it (its API key is a throw-away key that
only this sandbox accepts), and serves until Ctrl-C or SIGTERM.
"""

import argparse
import json
import os
import signal
import sys
import tempfile
import threading

from .faults import ENDPOINTS
from .server import Sandbox


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ciokatana sandbox",
        description="Serve a local stand-in for Conductor that ciocore can submit to.",
    )
    parser.add_argument("--port", type=int, default=0,
                        help="port to listen on (default: 0, a free port)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--storage", metavar="DIR", default=None,
                        help="keep uploaded files and the sandbox key in DIR "
                             "(default: in memory, gone on exit)")
    parser.add_argument("--multipart-threshold", type=int, default=None, metavar="BYTES",
                        help="upload files larger than this multipart (default: 64 MiB)")
    parser.add_argument("--part-size", type=int, default=None, metavar="BYTES",
                        help="multipart part size (default: 16 MiB)")
    parser.add_argument("--run-jobs", default=None, metavar="WAIT,RUN", type=_run_jobs,
                        help="let jobs run by themselves: each task waits WAIT seconds, runs RUN "
                             "seconds with a growing log, then succeeds (default: jobs stay pending)")
    return parser


def _run_jobs(text):
    try:
        wait, run = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("expected WAIT,RUN in seconds, e.g. 2,10; got %r" % text)
    if wait < 0 or run < 0:
        raise argparse.ArgumentTypeError("WAIT and RUN must not be negative")
    return wait, run


def _shell_quote(text):
    return "'" + text.replace("'", "'\"'\"'") + "'"


def main(argv=None):
    """Run the sandbox until interrupted. Returns the exit status."""
    args = build_parser().parse_args(argv)
    kwargs = {"port": args.port, "host": args.host, "storage_dir": args.storage}
    if args.multipart_threshold is not None:
        kwargs["multipart_threshold"] = args.multipart_threshold
    if args.part_size is not None:
        kwargs["part_size"] = args.part_size
    try:
        sandbox = Sandbox(**kwargs).start()
    except OSError as err:
        sys.stderr.write("Could not start the sandbox on %s:%s: %s\n" % (args.host, args.port, err))
        return 1

    if args.run_jobs is not None:
        sandbox.run_jobs(wait=args.run_jobs[0], run=args.run_jobs[1])

    # Handle SIGINT explicitly (before printing "Press Ctrl-C", so an early
    # Ctrl-C stops it cleanly too): a process started in the background by a
    # shell inherits SIGINT ignored, and Python then raises no KeyboardInterrupt.
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, lambda *_: stop.set())

    home = os.path.join(args.storage, "home") if args.storage else os.path.join(
        tempfile.gettempdir(), "ciokatana-sandbox-home-%d" % sandbox.port)
    out = sys.stdout
    out.write("Conductor sandbox serving at %s\n" % sandbox.url)
    if args.storage:
        out.write("Storage: %s\n" % os.path.abspath(args.storage))
    out.write(
        "\n# Point ciocore at it. The API key below is a THROW-AWAY key that only this\n"
        "# sandbox accepts; it is not a Conductor credential.\n"
    )
    out.write("export CONDUCTOR_URL=%s\n" % sandbox.url)
    out.write("export CONDUCTOR_API_URL=%s\n" % sandbox.url)
    out.write("export CONDUCTOR_API_KEY=%s\n" % _shell_quote(json.dumps(sandbox.api_key)))
    out.write("unset CONDUCTOR_API_KEY_PATH\n")
    out.write(
        "# ciocore caches bearer tokens in $HOME/.config/conductor; to keep yours\n"
        "# untouched, run clients with a throw-away home, e.g.:\n"
        "#   HOME=%s CONDUCTOR_USER_DIR=%s/.conductor <command>\n" % (home, home)
    )
    out.write(
        "\nInject faults: curl -X POST %s/_sandbox/faults -d "
        "'{\"endpoint\": \"jobs\", \"status\": 503, \"times\": 1}'\n"
        "  endpoints: %s\n"
        "  clear: curl -X DELETE %s/_sandbox/faults   state: curl %s/_sandbox/state\n"
        "Jobs that run by themselves: curl -X POST %s/_sandbox/lifecycle -d "
        "'{\"wait\": 2, \"run\": 10}'\n"
        "\nPress Ctrl-C to stop.\n"
        % (sandbox.url, ", ".join(sorted(ENDPOINTS)), sandbox.url, sandbox.url, sandbox.url)
    )
    out.flush()

    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        out.write("\nStopping the Conductor sandbox...\n")
        out.flush()
        sandbox.stop()
        state = sandbox.state()
        out.write("Sandbox stopped (%d job(s) accepted, %d file(s) stored).\n"
                  % (len(state["jobs"]), state["file_count"]))
        out.flush()
    return 0
