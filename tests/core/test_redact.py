"""Credentials never reach previews, logs, mock files or error cards."""

import logging

from ciokatana.core.redact import MASK, RedactingFilter, redact, redact_text

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJhY2NvdW50IjoiMSJ9.c2lnbmF0dXJl"


def test_secret_environment_values_are_masked():
    env = {"CONDUCTOR_API_KEY": "abc", "MY_TOKEN": "t", "DB_PASSWORD": "p", "PATH": "/bin", "EMPTY_KEY": ""}
    assert redact({"environment": env})["environment"] == {
        "CONDUCTOR_API_KEY": MASK,
        "MY_TOKEN": MASK,
        "DB_PASSWORD": MASK,
        "PATH": "/bin",
        "EMPTY_KEY": "",
    }


def test_tokens_inside_text_are_masked():
    text = "headers: {'Authorization': 'Bearer %s'} url=/api/oauth_jwt?client_id=a&client_secret=s3cr3t&x=1" % JWT
    out = redact_text(text)
    assert JWT not in out and "s3cr3t" not in out and "client_id=a" in out


def test_private_key_in_json_text():
    out = redact_text('{"client_id": "id", "private_key": "-----BEGIN KEY-----abc"}')
    assert "BEGIN KEY" not in out and '"client_id": "id"' in out


def test_logging_filter_masks_records(caplog):
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.DEBUG, logger="test.redact"):
        logger.debug("headers: %s", {"Authorization": "Bearer " + JWT})
    assert JWT not in caplog.text and MASK in caplog.text


def test_presigned_upload_url_signatures_are_masked():
    text = ("Max retries exceeded with url: /sandbox-storage/hashstore/ab?X-Sandbox-Signature=abcDEF_12 and "
            "https://s3.amazonaws.com/b/k?X-Amz-Credential=AKIA%2F2024&X-Amz-Signature=deadbeef&X-Amz-Expires=60")
    masked = redact_text(text)
    assert "abcDEF_12" not in masked and "deadbeef" not in masked and "AKIA" not in masked
    assert "X-Amz-Expires=60" in masked and "/sandbox-storage/hashstore/ab?" in masked


# -- the quick path for large values gives exactly what the walk gives -----

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ciokatana.core import redact as redact_mod  # noqa: E402

WORDS = st.sampled_from(["katana", "--batch", "API_KEY", "Bearer abc", JWT, "pass", "ſecret", "AUTHORİZATION",
                         "\u212aEY", "token=1", "client_secret=x", "x", "é", "1001-1002", "private_key", "monkey"])
texts = st.lists(WORDS, max_size=4).map(" ".join)
flat = st.dictionaries(texts, texts | st.integers() | st.none(), max_size=4)


def _walk(value):
    """redact() with the quick path turned off: every string is scanned."""
    size = redact_mod._QUICK_CHECK_SIZE
    redact_mod._QUICK_CHECK_SIZE = 10 ** 9
    try:
        return redact(value)
    finally:
        redact_mod._QUICK_CHECK_SIZE = size


@given(items=st.lists(flat, min_size=32, max_size=60))
def test_large_lists_are_masked_exactly_as_by_the_walk(items):
    assert redact(items) == _walk(items)


def test_unicode_case_pairs_still_count_as_secret_names_in_large_lists():
    big = [{"n": i} for i in range(40)] + [{"AUTHORİZATION": "x", "API_\u212aEY": "y", "ſECRET": "z"}]
    assert redact(big)[-1] == {"AUTHORİZATION": MASK, "API_\u212aEY": MASK, "ſECRET": MASK}


def test_a_large_clean_list_is_not_copied_string_by_string():
    tasks = [{"command": "katana --batch -t {}".format(i), "frames": str(i)} for i in range(1000)]
    assert redact(tasks) is tasks
