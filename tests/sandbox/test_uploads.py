"""Uploads: ciocore's real uploader against the sandbox, and the storage rules directly.

The two Submit tests take about 10 s each: ciocore's uploader polls every 5 s.
"""

import base64
import hashlib
import os

import pytest
import requests
from ciocore import conductor_submit

from ciokatana.sandbox import Sandbox, b64_md5



def _payload(sandbox, paths, tmp_path, **extra):
    payload = {
        "job_title": "sandbox upload test",
        "project": "default",
        "instance_type": "n2-standard-4",
        "output_path": str(tmp_path / "renders"),
        "tasks_data": [{"command": "katana --batch --katana-file=/x.katana -t 1", "frames": "1"}],
        "upload_paths": [str(p) for p in paths],
        "database_filepath": sandbox.ciocore_config.database_filepath,
    }
    payload.update(extra)
    return payload


@pytest.fixture
def assets(tmp_path):
    folder = tmp_path / "assets"
    folder.mkdir()
    sizes = {"scene.katana": 2000, "tex_a.tx": 10, "tex_b.tx": 70000, "cache.abc": 250000}
    paths = []
    for name, size in sizes.items():
        path = folder / name
        path.write_bytes(os.urandom(size))
        paths.append(path)
    return paths


@pytest.mark.slow
def test_submit_uploads_then_second_job_uploads_nothing(ciocore_sandbox, assets, tmp_path):
    sandbox = ciocore_sandbox
    # cache.abc (250 kB) goes multipart in 3 parts; the rest single-part.
    sandbox.multipart_threshold = 100 * 1024
    sandbox.part_size = 100 * 1024

    progress = []
    submit = conductor_submit.Submit(_payload(sandbox, assets, tmp_path))
    submit.progress_handler = progress.append
    response, code = submit.main()

    assert code == 201
    assert response == {"body": "job submitted.", "jobid": "00001", "status": "success",
                        "uri": "/jobs/00001"}
    assert progress, "ciocore reported no progress"

    for path in assets:
        data = path.read_bytes()
        assert sandbox.file_bytes(b64_md5(data)) == data
    kinds = {os.path.basename(e["path"]): e["kind"] for e in sandbox.upload_log}
    assert kinds == {"scene.katana": "single", "tex_a.tx": "single",
                     "tex_b.tx": "single", "cache.abc": "multipart"}
    assert all(e["stored"] for e in sandbox.upload_log)
    parts = [r for r in sandbox.requests if r["path"].startswith("/sandbox-storage/multipart/")]
    assert len(parts) == 3

    job = sandbox.jobs[0]
    assert job["jobid"] == "00001"
    sent = {f["destination"]: f["md5"] for f in job["payload"]["upload_files"]}
    assert sent == {str(p): b64_md5(p.read_bytes()) for p in assets}
    assert job["payload"]["instance_type"] == "n2-standard-4"

    uploads_before = len(sandbox.upload_log)
    response, code = conductor_submit.Submit(_payload(sandbox, assets, tmp_path)).main()
    assert (code, response["jobid"]) == (201, "00002")
    assert len(sandbox.upload_log) == uploads_before, "the second job uploaded again"
    url_calls = [r for r in sandbox.requests if r["endpoint"] == "upload_urls"]
    assert url_calls[-1]["status"] == 204


@pytest.mark.slow
def test_submit_survives_one_failed_upload(ciocore_sandbox, tmp_path):
    """An injected 503 on a file PUT is retried by ciocore and the job still goes in."""
    sandbox = ciocore_sandbox
    path = tmp_path / "one.txt"
    path.write_bytes(b"retry me")
    sandbox.faults.add("upload", status=503, times=1)

    response, code = conductor_submit.Submit(_payload(sandbox, [path], tmp_path)).main()

    assert code == 201
    statuses = [r["status"] for r in sandbox.requests if r["endpoint"] == "upload"]
    assert statuses == [503, 200]
    assert sandbox.file_bytes(b64_md5(b"retry me")) == b"retry me"


def _upload_urls(sandbox, headers, files):
    return requests.post(sandbox.url + "/api/v2/files/get_upload_urls", headers=headers,
                         json={"upload_files": files, "project": "default"}, timeout=10)


def test_content_md5_mismatch_is_rejected(sandbox, auth_headers):
    headers = auth_headers(sandbox)
    data = b"the real bytes"
    md5 = b64_md5(data)
    response = _upload_urls(sandbox, headers, [{"path": "/a.txt", "hash": md5, "size": len(data)}])
    assert response.status_code == 200
    body = response.json()
    assert body["multiPartURLs"] == []
    url = body["singlePartURLs"][0]["preSignedURL"]
    assert url.startswith(sandbox.url)
    assert "amazonaws" not in url and "coreweave" not in url

    bad = requests.put(url, data=b"tampered bytes", timeout=10,
                       headers={"Content-MD5": md5, "Content-Type": "application/octet-stream"})
    assert bad.status_code == 400
    assert "BadDigest" in bad.json()["error"]
    assert not sandbox.has_file(md5)
    assert sandbox.upload_log[-1]["stored"] is False

    wrong_header = requests.put(url, data=data, headers={"Content-MD5": b64_md5(b"x")}, timeout=10)
    assert wrong_header.status_code == 400
    missing = requests.put(url, data=data, timeout=10)
    assert missing.status_code == 400
    assert not sandbox.has_file(md5)

    # A chunked body, as ciocore sends it (a generator), is read correctly.
    good = requests.put(url, data=iter([data[:5], data[5:]]), headers={"Content-MD5": md5},
                        timeout=10)
    assert good.status_code == 200
    assert good.headers["ETag"].strip('"') == hashlib.md5(data).hexdigest()
    assert sandbox.file_bytes(md5) == data

    # Held now: asking again answers 204.
    again = _upload_urls(sandbox, headers, [{"path": "/b.txt", "hash": md5, "size": len(data)}])
    assert again.status_code == 204


def test_upload_url_needs_its_signature(sandbox, auth_headers):
    headers = auth_headers(sandbox)
    data = b"signed"
    md5 = b64_md5(data)
    url = _upload_urls(sandbox, headers, [{"path": "/s", "hash": md5, "size": 6}]).json()[
        "singlePartURLs"][0]["preSignedURL"]
    forged = url.split("?")[0] + "?X-Sandbox-Signature=forged"
    assert requests.put(forged, data=data, headers={"Content-MD5": md5},
                        timeout=10).status_code == 403


def test_upload_urls_rejects_hex_hashes_and_dedups_a_batch(sandbox, auth_headers):
    headers = auth_headers(sandbox)
    hex_md5 = hashlib.md5(b"x").hexdigest()
    response = _upload_urls(sandbox, headers, [{"path": "/x", "hash": hex_md5, "size": 1}])
    assert response.status_code == 400
    md5 = b64_md5(b"x")
    same = [{"path": "/one/x", "hash": md5, "size": 1}, {"path": "/two/x", "hash": md5, "size": 1}]
    body = _upload_urls(sandbox, headers, same).json()
    assert [u["filePath"] for u in body["singlePartURLs"]] == ["/one/x"]


def test_multipart_checks_parts_and_md5(sandbox, auth_headers):
    sandbox.multipart_threshold = 10
    sandbox.part_size = 8
    headers = auth_headers(sandbox)
    data = b"0123456789abcdefghij"  # 20 bytes -> 3 parts of 8, 8, 4
    md5 = b64_md5(data)
    upload = _upload_urls(sandbox, headers, [{"path": "/big", "hash": md5, "size": 20}]).json()[
        "multiPartURLs"][0]
    assert upload["partSize"] == 8 and len(upload["parts"]) == 3

    etags = []
    for part in upload["parts"]:
        start = (part["partNumber"] - 1) * 8
        response = requests.put(part["url"], data=data[start:start + 8], timeout=10)
        assert response.status_code == 200
        etags.append({"partNumber": part["partNumber"], "etag": response.headers["ETag"].strip('"')})

    complete_url = sandbox.url + "/api/v2/files/multipart/complete"
    body = {"uploadID": upload["uploadID"], "hash": md5, "completedParts": etags[:2],
            "project": "default"}
    assert requests.post(complete_url, json=body, headers=headers, timeout=10).status_code == 400
    body["completedParts"] = [{"partNumber": 1, "etag": "0" * 32}] + etags[1:]
    assert requests.post(complete_url, json=body, headers=headers, timeout=10).status_code == 400
    assert not sandbox.has_file(md5)

    body["completedParts"] = etags[::-1]  # any order
    response = requests.post(complete_url, json=body, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    assert sandbox.file_bytes(md5) == data
    assert sandbox.upload_log[-1]["kind"] == "multipart"


def test_storage_dir_keeps_files_and_key_across_restarts(tmp_path, auth_headers):
    storage = tmp_path / "store"
    data = b"persist me"
    md5 = b64_md5(data)
    with Sandbox(storage_dir=str(storage)) as first:
        headers = auth_headers(first)
        url = _upload_urls(first, headers, [{"path": "/p", "hash": md5, "size": len(data)}]).json()[
            "singlePartURLs"][0]["preSignedURL"]
        assert requests.put(url, data=data, headers={"Content-MD5": md5},
                            timeout=10).status_code == 200
        key = first.api_key
        assert first.files[md5].path.startswith(str(storage))
    hex_name = base64.b64decode(md5).hex()
    assert (storage / "files" / hex_name).read_bytes() == data

    with Sandbox(storage_dir=str(storage)) as second:
        assert second.api_key == key
        assert second.file_bytes(md5) == data
        headers = auth_headers(second)
        assert _upload_urls(second, headers, [{"path": "/p", "hash": md5,
                                               "size": len(data)}]).status_code == 204
