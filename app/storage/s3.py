"""Photos in S3-compatible object storage (AWS S3, MinIO, Aliyun OSS) through boto3.

STORAGE_URL is s3://bucket or s3://bucket/prefix; the endpoint, region and keys come from an environ dict:
S3_ENDPOINT_URL (unset for AWS itself), AWS_REGION (default us-east-1), AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN, and S3_ADDRESSING_STYLE ("path" by default when an endpoint
is set, "auto" otherwise). Without keys boto3's own chain (instance role, ~/.aws) applies.

Objects are private: the adapter never sets a public ACL, and clients fetch photos through short-lived presigned
GET URLs. The bucket must already exist; ensure_bucket() is for tests and operations, never called implicitly.
"""

from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from app.storage.keys import key_parts

# Error codes that mean "no such object" (GetObject says NoSuchKey; HEAD has no body, so only the status is left).
_MISSING = {"NoSuchKey", "404", "NotFound"}

# botocore >= 1.36 adds CRC checksums (and aws-chunked bodies) to uploads by default; several S3-compatible stores
# (older MinIO, Aliyun OSS) reject those. Send them only where S3 requires them. Older botocore has no such option.
_CHECKSUMS_WHEN_REQUIRED = (
    {"request_checksum_calculation": "when_required", "response_checksum_validation": "when_required"}
    if "request_checksum_calculation" in Config.OPTION_DEFAULTS
    else {}
)


def _error_code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))


def _status(err: ClientError) -> int | None:
    return err.response.get("ResponseMetadata", {}).get("HTTPStatusCode")


class S3Storage:
    def __init__(self, client: Any, bucket: str, prefix: str = ""):
        if not bucket:
            raise ValueError("S3 storage needs a bucket name")
        prefix = prefix.strip("/")
        self.client = client
        self.bucket = bucket
        self.prefix = f"{prefix}/" if prefix else ""

    @classmethod
    def from_url(cls, url: str, environ: dict) -> "S3Storage":
        """s3://bucket/optional/prefix, with endpoint, region and credentials taken from `environ`."""
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"S3 storage URL must look like s3://bucket/optional/prefix, not {url!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"S3 storage URL takes no query or fragment: {url!r}")
        endpoint = environ.get("S3_ENDPOINT_URL") or None
        addressing_style = environ.get("S3_ADDRESSING_STYLE") or ("path" if endpoint else "auto")
        if addressing_style not in {"path", "virtual", "auto"}:
            raise ValueError(f"S3_ADDRESSING_STYLE must be path, virtual or auto, not {addressing_style!r}")
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": addressing_style},
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
            **_CHECKSUMS_WHEN_REQUIRED,
        )
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint,
            region_name=environ.get("AWS_REGION") or "us-east-1",
            aws_access_key_id=environ.get("AWS_ACCESS_KEY_ID") or None,
            aws_secret_access_key=environ.get("AWS_SECRET_ACCESS_KEY") or None,
            aws_session_token=environ.get("AWS_SESSION_TOKEN") or None,
            config=config,
        )
        return cls(client, parts.netloc, parts.path)

    def __repr__(self) -> str:
        return f"S3Storage(s3://{self.bucket}/{self.prefix})"

    def _key(self, key: str) -> str:
        key_parts(key)  # refused unless a plain relative path, as on local disk
        return self.prefix + key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        # No ACL argument: the object gets the bucket's default (private). Photos are served through signed_url().
        self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as err:
            # A missing bucket is a configuration error, not a missing photo: let that one through as it is.
            if _error_code(err) != "NoSuchBucket" and (_error_code(err) in _MISSING or _status(err) == 404):
                raise FileNotFoundError(f"no such object: {key!r}") from err
            raise
        with response["Body"] as body:
            return body.read()

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as err:
            if _error_code(err) in _MISSING or _status(err) == 404:
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        # S3 answers 204 whether or not the object existed, so deleting a missing key is already harmless.
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        for key, _modified in self.listing(prefix):
            yield key

    def listing(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + prefix):
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :], item["LastModified"]

    def unfinished(self) -> Iterator[tuple[str, datetime]]:
        return iter(())  # put_object is all or nothing: no partial objects to find

    def delete_unfinished(self, name: str) -> None:
        raise ValueError(f"S3 storage has no unfinished writes: {name!r}")

    def open(self, key: str) -> IO[bytes] | None:
        return None

    def signed_url(self, key: str, *, expires_s: int, content_type: str) -> str | None:
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": self._key(key), "ResponseContentType": content_type},
            ExpiresIn=expires_s,
        )

    def ensure_bucket(self) -> None:
        """Create the bucket if it is missing (tests and operations only; the app never calls this)."""
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as err:
            if _status(err) != 404 and _error_code(err) not in {"404", "NoSuchBucket", "NotFound"}:
                raise
        region = self.client.meta.region_name
        kwargs: dict[str, Any] = {"Bucket": self.bucket}
        if region and region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            self.client.create_bucket(**kwargs)
        except ClientError as err:
            if _error_code(err) != "BucketAlreadyOwnedByYou":
                raise
