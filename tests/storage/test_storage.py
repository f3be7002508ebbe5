"""One contract for every storage adapter (SPEC §7), run against local disk, moto and s3rver (see conftest.py)."""

import os
import shutil
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from app.storage import storage_from_url
from app.storage.local import LocalStorage
from app.storage.s3 import S3Storage

S3_BACKENDS = pytest.mark.parametrize("backend", ["moto", "s3rver"], indirect=True)

# Loopback only: never let an http_proxy from the environment sit between the test and the server.
_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url: str) -> tuple[int, bytes, str]:
    """GET a URL the way a browser would follow a presigned link: no SDK, no credentials."""
    try:
        with _http.open(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as err:
        return err.code, err.read(), err.headers.get("Content-Type", "")


# ---- the contract: every backend ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", bytes(range(256)) * 4, os.urandom(3 * 1024 * 1024)],
    ids=["empty", "all-byte-values", "3MB"],
)
def test_put_get_round_trip(storage, data):
    storage.put("originals/ab/abcdef.jpg", data, "image/jpeg")

    assert storage.get("originals/ab/abcdef.jpg") == data


def test_writing_the_same_key_twice_is_harmless(storage):
    storage.put("originals/ab/abcdef.jpg", b"first", "image/jpeg")
    storage.put("originals/ab/abcdef.jpg", b"second", "image/jpeg")

    assert storage.get("originals/ab/abcdef.jpg") == b"second"
    assert list(storage.keys()) == ["originals/ab/abcdef.jpg"]


def test_exists(storage):
    storage.put("originals/ab/abcdef.jpg", b"x", "image/jpeg")

    assert storage.exists("originals/ab/abcdef.jpg")
    assert not storage.exists("originals/ab/missing.jpg")
    assert not storage.exists("originals/ab")  # a "folder" is not an object


def test_delete_and_delete_missing(storage):
    storage.put("originals/ab/abcdef.jpg", b"x", "image/jpeg")

    storage.delete("originals/ab/abcdef.jpg")
    storage.delete("originals/ab/abcdef.jpg")  # again: already gone, still fine
    storage.delete("never/written.jpg")

    assert not storage.exists("originals/ab/abcdef.jpg")
    assert list(storage.keys()) == []


def test_get_missing_raises_file_not_found(storage):
    with pytest.raises(FileNotFoundError):
        storage.get("originals/ab/missing.jpg")


def test_keys_filters_by_prefix(storage):
    written = ["originals/ab/1.jpg", "originals/cd/2.jpg", "originals-old/3.jpg", "thumbs/ab/1.jpg"]
    for key in written:
        storage.put(key, key.encode(), "image/jpeg")

    assert sorted(storage.keys()) == sorted(written)
    assert sorted(storage.keys("originals/")) == ["originals/ab/1.jpg", "originals/cd/2.jpg"]
    assert sorted(storage.keys("originals")) == ["originals-old/3.jpg", "originals/ab/1.jpg", "originals/cd/2.jpg"]
    assert list(storage.keys("thumbs/ab/")) == ["thumbs/ab/1.jpg"]
    assert list(storage.keys("nothing/")) == []


def test_keys_under_a_configured_prefix_do_not_leak_it(backend):
    tenant = backend.storage("tenant/a")
    root = backend.storage()
    tenant.put("originals/ab/1.jpg", b"tenant photo", "image/jpeg")
    root.put("originals/ab/2.jpg", b"outside the prefix", "image/jpeg")

    assert list(tenant.keys()) == ["originals/ab/1.jpg"]
    assert list(tenant.keys("originals/")) == ["originals/ab/1.jpg"]
    assert tenant.get("originals/ab/1.jpg") == b"tenant photo"
    assert not tenant.exists("originals/ab/2.jpg")
    # The prefix is where the object really lives.
    assert sorted(root.keys()) == ["originals/ab/2.jpg", "tenant/a/originals/ab/1.jpg"]
    assert root.get("tenant/a/originals/ab/1.jpg") == b"tenant photo"
    # A trailing slash in STORAGE_URL names the same place.
    assert list(backend.storage("tenant/a/").keys()) == ["originals/ab/1.jpg"]


def test_keys_that_escape_are_refused(storage):
    refused = ("../escape.jpg", "/etc/passwd", "", "originals/../../escape.jpg", "originals/./ab/1.jpg", "a//b", "a\0b")
    for key in refused:
        with pytest.raises(ValueError):
            storage.put(key, b"x", "image/jpeg")
        with pytest.raises(ValueError):
            storage.get(key)


def test_a_folder_removed_behind_the_storage_is_made_again(tmp_path):
    storage = LocalStorage(str(tmp_path / "photos"))
    storage.put("originals/ab/1.jpg", b"one", "image/jpeg")
    shutil.rmtree(tmp_path / "photos" / "originals")  # an operator's clean-up, after this process made it
    storage.put("originals/ab/2.jpg", b"two", "image/jpeg")
    assert storage.get("originals/ab/2.jpg") == b"two" and not storage.exists("originals/ab/1.jpg")


def test_storage_from_url_dispatch(backend):
    storage = backend.storage()
    storage.put("originals/ab/1.jpg", b"photo", "image/jpeg")

    if backend.is_s3:
        assert isinstance(storage, S3Storage)
        assert storage.open("originals/ab/1.jpg") is None  # S3 hands out URLs instead of streaming
        assert storage.signed_url("originals/ab/1.jpg", expires_s=60, content_type="image/jpeg")
    else:
        assert isinstance(storage, LocalStorage)
        with storage.open("originals/ab/1.jpg") as stream:
            assert stream.read() == b"photo"
        assert storage.signed_url("originals/ab/1.jpg", expires_s=60, content_type="image/jpeg") is None


def test_storage_from_url_refuses_other_schemes():
    for url in ("http://bucket/prefix", "/var/lib/closeloop/photos", "s3:///no-bucket"):
        with pytest.raises(ValueError):
            storage_from_url(url, {})


# ---- S3 specifics ----------------------------------------------------------------------------------------------


def test_s3_from_url_settings():
    plain = S3Storage.from_url("s3://photos", {})
    assert (plain.bucket, plain.prefix) == ("photos", "")
    assert plain.client.meta.region_name == "us-east-1"
    assert plain.client.meta.config.s3["addressing_style"] == "auto"
    assert plain.client.meta.config.signature_version == "s3v4"

    custom = S3Storage.from_url(
        "s3://photos/site-1/closeloop/",
        {"S3_ENDPOINT_URL": "https://oss-cn-hangzhou.aliyuncs.com", "AWS_REGION": "cn-hangzhou"},
    )
    assert (custom.bucket, custom.prefix) == ("photos", "site-1/closeloop/")
    assert custom.client.meta.endpoint_url == "https://oss-cn-hangzhou.aliyuncs.com"
    assert custom.client.meta.region_name == "cn-hangzhou"
    assert custom.client.meta.config.s3["addressing_style"] == "path"
    # botocore reads max_attempts=3 as three RETRIES and stores it as four attempts in all.
    assert custom.client.meta.config.retries == {"total_max_attempts": 4, "mode": "standard"}

    virtual = S3Storage.from_url(
        "s3://photos", {"S3_ENDPOINT_URL": "https://x.example", "S3_ADDRESSING_STYLE": "virtual"}
    )
    assert virtual.client.meta.config.s3["addressing_style"] == "virtual"


@S3_BACKENDS
def test_a_missing_bucket_is_not_a_missing_photo(backend):
    storage = storage_from_url(f"s3://no-such-bucket-{os.urandom(4).hex()}", backend.environ)

    with pytest.raises(Exception) as caught:
        storage.get("originals/ab/1.jpg")

    assert not isinstance(caught.value, FileNotFoundError)
    assert "NoSuchBucket" in str(caught.value)


@S3_BACKENDS
def test_put_sets_the_content_type_and_no_acl(backend):
    storage = backend.storage()
    sent = []
    storage.client.meta.events.register("provide-client-params.s3.PutObject", lambda params, **_: sent.append(params))

    storage.put("originals/ab/1.png", b"png bytes", "image/png")

    assert "ACL" not in sent[0]  # never public; the bucket's default (private) applies
    head = storage.client.head_object(Bucket=storage.bucket, Key="originals/ab/1.png")
    assert head["ContentType"] == "image/png"


def test_keys_pages_past_1000_objects(moto_backend):
    # moto only: 1,005 objects over HTTP is quick in-process; s3rver would spend seconds on the file system.
    storage = moto_backend.storage("big")
    expected = [f"originals/{i:04d}.jpg" for i in range(1005)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda key: storage.put(key, b"x", "image/jpeg"), expected))
    pages = []
    storage.client.meta.events.register("before-call.s3.ListObjectsV2", lambda **kw: pages.append(kw))

    listed = list(storage.keys("originals/"))

    assert len(pages) >= 2  # really paged: S3 returns at most 1,000 keys per response
    assert sorted(listed) == expected
    assert len(set(listed)) == 1005


# ---- signed URLs -----------------------------------------------------------------------------------------------


@S3_BACKENDS
def test_signed_url_serves_the_bytes_with_the_signed_content_type(backend):
    storage = backend.storage("tenant")
    data = os.urandom(64 * 1024)
    storage.put("originals/ab/1.jpg", data, "application/octet-stream")

    url = storage.signed_url("originals/ab/1.jpg", expires_s=120, content_type="image/jpeg")

    assert "X-Amz-Expires=120" in url
    assert f"/{storage.bucket}/tenant/originals/ab/1.jpg?" in url  # path-style, as S3_ENDPOINT_URL implies
    assert fetch(url) == (200, data, "image/jpeg")


# The refusal checks run on s3rver ONLY: moto checks neither the signature nor the expiry of a presigned URL and
# would happily serve a tampered or expired one, which would make these tests pass for the wrong reason.


def _tamper(url: str) -> str:
    marker = "X-Amz-Signature="
    at = url.index(marker) + len(marker)
    return url[:at] + ("0" if url[at] != "0" else "1") + url[at + 1 :]


def test_tampered_signed_url_is_refused(s3rver_backend):
    assert s3rver_backend.verifies_signatures and s3rver_backend.name == "s3rver"  # never moto, see above
    storage = s3rver_backend.storage()
    storage.put("originals/ab/1.jpg", b"secret photo", "image/jpeg")
    url = storage.signed_url("originals/ab/1.jpg", expires_s=60, content_type="image/jpeg")

    status, body, _ = fetch(_tamper(url))

    assert status == 403, body
    assert b"SignatureDoesNotMatch" in body
    assert fetch(url)[0] == 200  # the untouched URL still works: the 403 was the tampering


def test_expired_signed_url_is_refused(s3rver_backend):
    assert s3rver_backend.verifies_signatures and s3rver_backend.name == "s3rver"  # never moto, see above
    storage = s3rver_backend.storage()
    storage.put("originals/ab/1.jpg", b"secret photo", "image/jpeg")
    url = storage.signed_url("originals/ab/1.jpg", expires_s=1, content_type="image/jpeg")

    time.sleep(2)  # X-Amz-Date has whole seconds, so 2 s is always past a 1 s expiry
    status, body, _ = fetch(url)

    assert status == 403, body
    assert b"expired" in body.lower()


def test_listing_gives_each_key_with_an_aware_modification_time(storage):
    before = datetime.now(UTC) - timedelta(seconds=5)  # S3 servers keep whole seconds
    storage.put("display/ab/one.jpg", b"1", "image/jpeg")
    storage.put("thumb/ab/two.jpg", b"2", "image/jpeg")
    listed = dict(storage.listing())
    assert sorted(listed) == ["display/ab/one.jpg", "thumb/ab/two.jpg"]
    assert all(before <= modified <= datetime.now(UTC) + timedelta(seconds=5) for modified in listed.values())
    assert [key for key, _ in storage.listing("thumb/")] == ["thumb/ab/two.jpg"]
