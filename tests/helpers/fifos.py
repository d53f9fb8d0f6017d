"""Opening a FIFO must fail at once, never wait for a writer: one check for every reader."""

import os
import threading

import pytest


def error_opening_a_fifo(tmp_path, read, error_type, seconds=5.0):
    """The message of ``error_type`` that ``read(path_of_a_fifo)`` raises; fails the test if it hangs."""
    fifo = str(tmp_path / "named.fifo")
    os.mkfifo(fifo)
    result = {}

    def attempt():
        try:
            read(fifo)
        except error_type as err:
            result["error"] = str(err)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():  # unblock the open so the thread can end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("{} hung on a FIFO".format(getattr(read, "__name__", read)))
    assert "error" in result, "no {} raised for a FIFO".format(error_type.__name__)
    return result["error"]
