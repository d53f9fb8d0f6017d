"""The shared path's Conductor calls: one wording per failure, whichever way a request is sent, and one login.

An upload goes out two ways (through ciocore's ``ApiClient.make_request``
for a Conductor-style single-part URL; as a bare prepared ``PUT`` for
S3-style URLs and multipart parts); the artist must read the same cause
for the same failure either way. Credentials come from the sandbox
(``ciocore_sandbox``); the upload targets are a tiny local server that
fails on purpose.
"""

import socket
import threading

import pytest

from ciokatana.core import ciocore_calls
from ciokatana.core import events as ev
from ciokatana.core.ciocore_calls import CallError, Calls
from ciokatana.core.runner import ConductorSource, Control, conductor_submit_factory

TIMEOUT = 5.0


class _Target(object):
    """A one-purpose HTTP endpoint on 127.0.0.1: answers 503 to everything, drops every
    connection, or holds every request unanswered until closed ("503", "drop", "hang")."""

    def __init__(self, mode):
        self.mode = mode
        self._closed = threading.Event()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, name="test-target", daemon=True)
        self._thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d/%s?X-Signature=s3cr3t-signature" % (self.port, path)

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                data = b""
                try:
                    while b"\r\n\r\n" not in data:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        data += chunk
                    if self.mode == "503":
                        self._read_body(conn, data)
                        body = b"Service Unavailable: try later"
                        conn.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: %d\r\n"
                                     b"Connection: close\r\n\r\n%s" % (len(body), body))
                    elif self.mode == "hang":
                        self._closed.wait(10)
                    # "drop": close without a word
                except OSError:
                    pass

    @staticmethod
    def _read_body(conn, data):
        """Read the rest of the request (as a service does before it answers)."""
        head, _, body = data.partition(b"\r\n\r\n")
        headers = head.lower()
        length = None
        for line in headers.split(b"\r\n"):
            if line.startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        while (len(body) < length) if length is not None else not body.endswith(b"0\r\n\r\n"):
            chunk = conn.recv(65536)
            if not chunk:
                return
            body += chunk

    def close(self):
        self._closed.set()
        self.sock.close()
        self._thread.join(2)


def _refused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def upload(tmp_path):
    path = tmp_path / "tex" / "wood.tx"
    path.parent.mkdir()
    path.write_bytes(b"w" * 20000)
    return str(path)


# the three ways a file's bytes go out
WAYS = {
    "single (ciocore's ApiClient)": lambda calls, url, path: calls.put_single(
        url + "&store=gcs", path, "bWQ1", 20000, lambda n: None, lambda: False),
    "single, S3-style (prepared PUT)": lambda calls, url, path: calls.put_single(
        url.replace("/wood", "/amazonaws/wood"), path, "bWQ1", 20000, lambda n: None, lambda: False),
    "multipart part (prepared PUT)": lambda calls, url, path: calls.put_part(
        url, path, 1, 10000, lambda n: None, lambda: False, 2),
}


def _fail(way, path, mode=None, url=None):
    """The CallError an upload sent ``way`` raises, against a ``_Target(mode)`` or at ``url``."""
    target = _Target(mode) if mode else None
    calls = Calls(timeout=TIMEOUT)
    try:
        with pytest.raises(CallError) as caught:
            WAYS[way](calls, target.url("wood.tx") if target else url, path)
    finally:
        calls.close()
        if target:
            target.close()
    return caught.value


@pytest.mark.parametrize("way", sorted(WAYS))
def test_a_refusal_reads_the_same_whichever_way_the_upload_goes(ciocore_sandbox, upload, way):
    err = _fail(way, upload, "503")
    assert err.status == 503 and err.retryable_answer and err.sent
    assert err.text == "Service Unavailable: try later"
    assert str(err).startswith("upload of {}".format(upload)) and str(err).endswith("failed: HTTP 503")


@pytest.mark.parametrize("way", sorted(WAYS))
def test_a_dropped_connection_reads_the_same_whichever_way_the_upload_goes(ciocore_sandbox, upload, way):
    err = _fail(way, upload, "drop")
    assert err.sent and err.status is None and not err.stalled and not err.aborted
    assert "the connection was dropped before an answer came (" in str(err), str(err)
    assert "s3cr3t-signature" not in str(err)  # presigned URLs' signatures stay out of messages


@pytest.mark.parametrize("way", sorted(WAYS))
def test_a_connection_never_made_reads_the_same_and_is_known_as_not_sent(ciocore_sandbox, upload, way):
    url = "http://127.0.0.1:%d/wood.tx?X-Signature=s3cr3t-signature" % _refused_port()
    err = _fail(way, upload, url=url)
    assert err.sent is False and err.status is None and not err.aborted
    assert "cannot connect to Conductor (" in str(err) and "s3cr3t-signature" not in str(err), str(err)


def test_a_call_ended_by_abort_says_stopped(ciocore_sandbox, upload):
    """A cancel shuts a hung part upload down at once; it reads "stopped", not as a network fault."""
    target = _Target("hang")  # reads the headers, never answers while the test holds it
    calls = Calls(timeout=30)
    caught = []

    def send():
        try:
            calls.put_part(target.url("wood.tx"), upload, 1, 10000, lambda n: None, lambda: False)
        except CallError as err:
            caught.append(err)

    holder = threading.Thread(target=send, daemon=True)
    holder.start()
    try:
        holder.join(0.5)
        assert holder.is_alive()
        calls.abort()
        holder.join(5)
    finally:
        calls.close()
        target.close()
    assert not holder.is_alive() and len(caught) == 1
    assert caught[0].aborted and str(caught[0]).endswith(": stopped"), str(caught[0])


@pytest.fixture
def unreachable(ciocore_sandbox):
    """ciocore pointed at a port nobody listens on (no token cached in the sandbox's HOME)."""
    import os

    from ciocore import config

    os.environ["CONDUCTOR_URL"] = "http://127.0.0.1:%d" % _refused_port()
    config.get(force=True)
    try:
        yield ciocore_sandbox
    finally:
        os.environ["CONDUCTOR_URL"] = ciocore_sandbox.url
        config.get(force=True)


def _key_parts(sandbox):
    key = sandbox.api_key
    return [key["client_id"]] + [line for line in key["private_key"].splitlines() if len(line) > 8]


def test_login_that_cannot_reach_conductor_says_so_without_the_key(unreachable):
    """ciocore sends the API key in the token request's URL: the error must not quote it."""
    with pytest.raises(CallError) as caught:
        ciocore_calls.login()
    err = caught.value
    assert err.step == "login" and err.sent is False and err.status is None
    assert str(err).startswith("login: cannot reach Conductor (")
    for part in _key_parts(unreachable):
        assert part not in str(err)
    assert "client_secret" not in str(err)


def test_login_gets_a_token_from_the_sandbox(ciocore_sandbox):
    ciocore_calls.login()
    Calls(timeout=TIMEOUT).login()  # the shared path's, the same login
    tokens = [r for r in ciocore_sandbox.requests if r["endpoint"] == "oauth"]
    assert len(tokens) == 1 and tokens[0]["status"] == 200  # the second found ciocore's cached token


def test_the_stock_path_logs_in_with_the_same_login_and_logs_no_key(unreachable, caplog):
    """ciocore's per-job path logs in first, retrying; what it logs names the cause, never the key."""
    import logging

    class _NoSubmit(object):
        progress_handler = None

        def __init__(self, payload):
            pass

        def main(self):
            return {"body": "job submitted.", "jobid": "00001"}, 201

        def stop_work(self):
            pass

    factory = conductor_submit_factory()
    source = ConductorSource([{"job_title": "beauty"}], submit_factory=factory, timeout=TIMEOUT)
    assert source.login is ciocore_calls.login
    source.submit_factory = _NoSubmit  # log in through ciocore, but send nothing
    seen = []
    with caplog.at_level(logging.INFO, logger="ciokatana.core.runner"):
        source.run(seen.append, Control())
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Login failed")]
    assert len(retries) == 3 and all("login: cannot reach Conductor (" in m for m in retries), retries
    for part in _key_parts(unreachable) + ["client_secret"]:
        assert all(part not in m for m in retries)
    assert [e.type for e in seen] == [ev.START, ev.JOB_START, ev.RESPONSE]
