"""Fixtures for the sandbox tests (the shared ones live in tests/helpers/sandbox_fixtures.py)."""

import pytest
import requests


def _bearer(sandbox):
    key = sandbox.api_key
    response = requests.get(sandbox.url + "/api/oauth_jwt", params={
        "grant_type": "client_credentials", "scope": "owner admin user",
        "client_id": key["client_id"], "client_secret": key["private_key"],
    }, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture
def bearer():
    """``bearer(sandbox)``: a token from that sandbox, fetched with plain requests."""
    return _bearer


@pytest.fixture
def auth_headers():
    """``auth_headers(sandbox)``: request headers carrying a token from that sandbox."""
    return lambda sandbox: {"Authorization": "Bearer %s" % _bearer(sandbox)}
