"""The Conductor calls of the shared upload path, made through ciocore's API client.

Layer: core (no Qt, no Katana). :class:`Calls` makes, one request at a
time, the same HTTP calls ciocore's uploader and ``Submit`` make (same
paths, verbs, headers and bodies; see ``docs/ciocore.md``):

- the bearer token: ``api_client.read_conductor_credentials(True)``;
- ``POST api/v2/files/get_upload_urls`` with ``{"upload_files", "project"}``;
- a single-part ``PUT`` of a file's bytes to its presigned URL (chunked,
  ``Content-MD5``), or, for S3-style URLs, with ``Content-Length``;
- multipart: a ``PUT`` per part, then ``POST api/v2/files/multipart/complete``;
- ``POST jobs/`` with the job payload.

Every call but the token goes through ``ciocore.api_client.ApiClient``'s
``make_request`` (which adds the bearer token and ciocore's User-Agent,
builds the URL from ciocore's config) with ``tries=1``: retries are
decided by the caller, which knows which calls are safe to repeat. The one
thing ciocore does not do is bound a request in time: its requests carry
no timeout, so a silent service holds them for ever. :class:`_Client`
therefore overrides ``ApiClient._make_request`` (present with the same
signature in ciocore 7.0.2 to 9.2) to send through a ``requests`` session
with a ``(connect, read)`` timeout, whose connections are tracked so that
:meth:`Calls.abort` can shut them down: a cancel ends even a request the
service never answers.

Errors: every failure raises :class:`CallError`, which says which step
failed, whether the request may have reached the service (``sent``),
whether it was a timeout (``stalled``) or an abort, and carries the
service's status and text when it answered.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple

import requests
from requests.adapters import HTTPAdapter
from urllib3 import exceptions as urllib3_errors

from ciokatana.core import redact

CHUNK_SIZE = 1048576  # ciocore's UploadWorker.chunk_size
CONNECT_TIMEOUT_CAP = 30.0


class CallError(Exception):
    """One Conductor call failed.

    Attributes:
        step: what was being done ("upload URLs", "upload of FILE", ...).
        sent: the request may have reached the service (False only when
            the connection could not even be made).
        stalled: no answer within the timeout.
        aborted: ended by :meth:`Calls.abort` (a cancel or a stall elsewhere).
        status / text: the service's HTTP status and answer, when it answered.
    """

    def __init__(self, step, message, sent=True, stalled=False, aborted=False, status=None, text=""):
        super().__init__(message)
        self.step = step
        self.sent = sent
        self.stalled = stalled
        self.aborted = aborted
        self.status = status
        self.text = text

    @property
    def retryable_answer(self) -> bool:
        """The service answered "try again" (5xx, 429): safe to repeat an idempotent call."""
        return self.status is not None and (self.status >= 500 or self.status == 429)


class _Tracker(object):
    """The live connections of one run, so that an abort can shut them down."""

    def __init__(self):
        self._lock = threading.Lock()
        self._connections = set()
        self.generation = 0

    def add(self, connection) -> None:
        with self._lock:
            self._connections.add(connection)

    def abort(self) -> int:
        """Shut every open connection down (blocked calls fail at once)."""
        with self._lock:
            connections = list(self._connections)
            self._connections.clear()
            self.generation += 1
        for connection in connections:
            sock = getattr(connection, "sock", None)
            if sock is None:
                continue
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        return len(connections)


def _pool_classes(tracker: _Tracker) -> Dict[str, Any]:
    """urllib3 pool classes whose connections register with ``tracker``."""
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class TrackedHTTPConnection(HTTPConnection):
        def connect(self):
            super(TrackedHTTPConnection, self).connect()
            tracker.add(self)

    class TrackedHTTPSConnection(HTTPSConnection):
        def connect(self):
            super(TrackedHTTPSConnection, self).connect()
            tracker.add(self)

    class TrackedHTTPPool(HTTPConnectionPool):
        ConnectionCls = TrackedHTTPConnection

    class TrackedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = TrackedHTTPSConnection

    return {"http": TrackedHTTPPool, "https": TrackedHTTPSPool}


def tracked_session(tracker: _Tracker, pool_size: int = 10) -> requests.Session:
    """A requests session whose connections ``tracker`` can shut down."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(1, pool_size))
    adapter.poolmanager.pool_classes_by_scheme = _pool_classes(tracker)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _was_sent(err: Exception) -> bool:
    """False when a requests error shows the connection was never made."""
    if isinstance(err, (requests.exceptions.ConnectTimeout, urllib3_errors.ConnectTimeoutError)):
        return False
    seen = set()
    stack = [err]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, urllib3_errors.NewConnectionError):
            return False
        stack.append(getattr(item, "reason", None))
        stack.extend(a for a in getattr(item, "args", ()) if isinstance(a, BaseException))
        stack.append(getattr(item, "__cause__", None))
        stack.append(getattr(item, "__context__", None))
    return True


_CLIENT_CLASS = []


def _client_class():
    """``ApiClient`` with a session and timeouts (made once, on first use)."""
    if _CLIENT_CLASS:
        return _CLIENT_CLASS[0]
    from ciocore import api_client

    class _Client(api_client.ApiClient):
        """ciocore's ApiClient sending through a session with timeouts."""

        def __init__(self, session, timeout):
            super(_Client, self).__init__()
            self._session = session
            self._timeout = timeout

        def _make_request(self, verb, conductor_url, headers, params, data, raise_on_error=True):
            response = self._session.request(
                method=verb, url=conductor_url, headers=headers, params=params, data=data, timeout=self._timeout
            )
            if raise_on_error:
                response.raise_for_status()
            return response

    _CLIENT_CLASS.append(_Client)
    return _Client


class _Reader(object):
    """A file (or a slice of one) as a request body that counts what is read.

    Iterating yields CHUNK_SIZE blocks (a chunked body, as ciocore's
    ``chunked_reader``); ``read``/``len`` make it a sized body.
    """

    def __init__(self, path, on_bytes, stop, offset=0, length=None):
        self._handle = open(path, "rb")
        self._handle.seek(offset)
        self._left = length
        self._on_bytes = on_bytes
        self._stop = stop
        self._length = length

    def __len__(self):
        return int(self._length or 0)

    def read(self, size=-1):
        if self._stop():
            raise CallError("upload", "stopped", aborted=True)
        if self._left is not None:
            size = self._left if size is None or size < 0 else min(size, self._left)
        data = self._handle.read(size if size is not None else -1)
        if self._left is not None:
            self._left -= len(data)
        if data:
            self._on_bytes(len(data))
        return data

    def __iter__(self):
        while True:
            data = self.read(CHUNK_SIZE)
            if not data:
                return
            yield data

    def close(self):
        self._handle.close()


class Calls(object):
    """The shared path's Conductor calls, each bounded by ``timeout``.

    Args:
        timeout: seconds a request may wait for the service (to connect,
            or between two reads of its answer) before it fails as stalled.
        pool_size: connections kept for concurrent uploads.
    """

    def __init__(self, timeout: float, pool_size: int = 10):
        self.timeout = float(timeout)
        self._tracker = _Tracker()
        self._session = tracked_session(self._tracker, pool_size)
        self._client = _client_class()(self._session, self._timeouts())
        self._closed = False

    def _timeouts(self) -> Tuple[float, float]:
        return (min(self.timeout, CONNECT_TIMEOUT_CAP), self.timeout)

    # -- life ------------------------------------------------------------
    def abort(self) -> int:
        """Shut down every request in flight (they fail with ``aborted``)."""
        return self._tracker.abort()

    def close(self) -> None:
        self._closed = True
        self._tracker.abort()
        self._session.close()

    # -- plumbing --------------------------------------------------------
    @contextlib.contextmanager
    def _errors(self, step: str):
        """Turn what a request raises into the one :class:`CallError` of each kind.

        The one mapping from ``requests``' errors to the product's: an HTTP
        status, a timeout (``stalled``), an abort (``stopped``), a
        connection never made (not ``sent``) or one dropped before the
        answer. Every call but the login goes through it.
        """
        generation = self._tracker.generation
        try:
            yield
        except CallError:
            raise
        except requests.exceptions.HTTPError as err:
            response = getattr(err, "response", None)
            status = getattr(response, "status_code", None)
            text = getattr(response, "text", "") or ""
            raise CallError(step, "{} failed: HTTP {}".format(step, status), status=status, text=text)
        except (OSError, urllib3_errors.HTTPError) as err:
            # requests' errors are OSErrors; urllib3's own escape requests < 2.32 from a
            # chunked body (its NewConnectionError is a kind of ConnectTimeoutError there)
            sent = _was_sent(err)
            if isinstance(err, (requests.exceptions.Timeout, urllib3_errors.TimeoutError)) and (
                    not isinstance(err, urllib3_errors.NewConnectionError)):
                raise CallError(step, "{}: no answer within {:g} s".format(step, self.timeout), sent=sent,
                                stalled=True)
            aborted = self._tracker.generation != generation or self._closed
            if aborted:
                message = "{}: stopped".format(step)
            elif not sent:
                message = "{}: cannot connect to Conductor ({})".format(step, _short(err))
            else:
                message = "{}: the connection was dropped before an answer came ({})".format(step, _short(err))
            raise CallError(step, message, sent=sent, aborted=aborted)

    def _request(self, step: str, client=None, **kwargs) -> Tuple[str, int]:
        """A request through ciocore's ``ApiClient.make_request`` (``tries=1``)."""
        with self._errors(step):
            return (client or self._client).make_request(tries=1, **kwargs)

    # -- the calls ---------------------------------------------------------
    def login(self) -> None:
        """Make sure ciocore holds a bearer token (see :func:`login`)."""
        login()

    def upload_urls(self, files: List[Dict[str, Any]], project: Optional[str]) -> Optional[Dict[str, Any]]:
        """Ask which of ``files`` ([{path, hash, size}]) the service lacks.

        Returns its answer (``singlePartURLs``/``multiPartURLs``), or None
        when it holds them all (204).
        """
        step = "upload URLs"
        text, status = self._request(
            step,
            uri_path="/api/v2/files/get_upload_urls",
            verb="POST",
            headers={"Content-Type": "application/json"},
            data=json.dumps({"upload_files": files, "project": project}),
            raise_on_error=True,
            use_api_key=True,
        )
        if status == 204:
            return None
        if status != 200:
            raise CallError(step, "{} failed: HTTP {}".format(step, status), status=status, text=text)
        try:
            return json.loads(text)
        except ValueError:
            raise CallError(step, "{}: the answer is not JSON".format(step), status=status, text=text)

    def put_single(self, url: str, path: str, md5: str, size: int, on_bytes: Callable[[int], None],
                   stop: Callable[[], bool], kms_key_name: Optional[str] = None) -> None:
        """Upload a whole file to a presigned URL, as ciocore's ``do_singlepart_upload``."""
        step = "upload of {}".format(path)
        if "amazonaws" in url or "coreweave" in url:
            reader = _Reader(path, on_bytes, stop, 0, size)
            try:
                self._prepared_put(step, url, reader, {"Content-Type": "application/octet-stream",
                                                        "Content-Length": str(size)})
            finally:
                reader.close()
            return
        headers = {"Content-MD5": md5, "Content-Type": "application/octet-stream"}
        if kms_key_name:
            headers["x-goog-encryption-kms-key-name"] = kms_key_name
        reader = _Reader(path, on_bytes, stop)
        try:
            self._request(step, conductor_url=url, headers=headers, data=iter(reader), verb="PUT",
                          raise_on_error=True, use_api_key=True)
        finally:
            reader.close()

    def put_part(self, url: str, path: str, number: int, part_size: int, on_bytes: Callable[[int], None],
                 stop: Callable[[], bool], count: int = 0) -> str:
        """Upload one part of a multipart upload; return its ETag (as ciocore's ``_do_multipart_upload``)."""
        step = "upload of {} (part {}{})".format(path, number, " of {}".format(count) if count else "")
        offset = (number - 1) * part_size
        length = max(0, min(part_size, os.path.getsize(path) - offset))
        reader = _Reader(path, on_bytes, stop, offset, length)
        try:
            response = self._prepared_put(step, url, reader, {"Content-Type": "application/octet-stream"})
        finally:
            reader.close()
        etag = response.headers.get("ETag")
        if not etag:
            raise CallError(step, "{}: the answer carries no ETag".format(step), status=response.status_code)
        return etag.strip('"')

    def _prepared_put(self, step, url, body, headers):
        """A PUT without ciocore's auth headers, as ``ApiClient.make_prepared_request``."""
        prepared = requests.Request(method="PUT", url=url, headers=headers, data=body).prepare()
        prepared.headers.pop("Transfer-Encoding", None)
        with self._errors(step):
            response = self._session.send(prepared, timeout=self._timeouts())
            response.close()
            response.raise_for_status()
            return response

    def complete_multipart(self, upload_id: str, md5: str, parts: List[Dict[str, Any]], project: Optional[str],
                           path: str = "") -> None:
        """Tell the service every part is there (``api/v2/files/multipart/complete``)."""
        step = "multipart finish of {}".format(path or upload_id)
        self._request(
            step,
            uri_path="/api/v2/files/multipart/complete",
            verb="POST",
            headers={"Content-Type": "application/json"},
            data=json.dumps({"uploadID": upload_id, "hash": md5, "completedParts": parts, "project": project}),
            raise_on_error=True,
            use_api_key=True,
        )

    def create_job(self, body: str, title: str = "") -> Tuple[Dict[str, Any], int]:
        """``POST jobs/`` on a fresh connection; return (answer, status).

        A fresh connection, never a pooled one the service may have closed,
        so a dropped connection always means the service had the request.
        Raises CallError for an answer other than 201/204 (``sent`` is then
        True and ``status`` set).
        """
        step = "job creation{}".format(" of " + title if title else "")
        session = tracked_session(self._tracker, 1)
        client = _client_class()(session, self._timeouts())
        try:
            text, status = self._request(step, client=client, uri_path="jobs/", data=body,
                                         raise_on_error=False, use_api_key=True)
        finally:
            session.close()
        if status not in (201, 204):
            raise CallError(step, "Conductor refused the job: HTTP {}".format(status), status=status, text=text)
        try:
            answer = json.loads(text) if text and text.strip() else {}
        except ValueError:
            answer = {"body": text}
        return answer, status


def login() -> None:
    """Make sure ciocore holds a bearer token, fetching one with the API key.

    The one login of every path (the shared upload's :meth:`Calls.login`,
    the stock path's :class:`~ciokatana.core.runner.ConductorSource`):
    ``api_client.read_conductor_credentials(True)``, which reuses ciocore's
    cached token or exchanges the API key for one.

    Raises :class:`CallError` (step ``login``): not ``sent`` when Conductor
    could not be reached, ``status`` 500 (worth a retry) when its answer
    was no token. Its message never carries the key: ciocore sends the key
    in the token request's URL query, which :func:`_short` drops, and
    whatever else it quotes goes through ``redact.redact_text``.
    """
    from ciocore import api_client

    step = "login"
    try:
        token = api_client.read_conductor_credentials(True)
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as err:
        raise CallError(step, "login: cannot reach Conductor ({})".format(_short(err)), sent=_was_sent(err))
    except ValueError as err:  # an answer that is not JSON (an error page)
        raise CallError(step, "login: Conductor's answer was not a token ({})".format(_short(err)), status=500)
    if not token:
        raise CallError(
            step,
            "login: Conductor gave no token for the API key (a wrong key, or the service failed)",
            status=500,
        )


_QUERY = re.compile(r"\?[^\s'\")]+")


def _short(err: BaseException) -> str:
    """The last line of an error, without URL queries (presigned URLs carry signatures,
    ciocore's token request the API key) and with known secrets masked."""
    text = str(err).strip().splitlines()
    text = redact.redact_text(_QUERY.sub("?...", text[-1] if text else type(err).__name__))
    return text if len(text) <= 200 else text[:197] + "..."
