"""Content-addressed storage of evidence files: a file's name is its SHA-256.

A blob's key is ``ab/cd/<sha256 hex>``, whatever the backend (``HUHANG_EVIDENCE_STORE``):

- ``local`` (default): the blob lives at that path under ``HUHANG_EVIDENCE_DIR`` (default
  ``HUHANG_DATA_DIR/evidence``). It is written to a temporary file in the same directory while it is hashed,
  flushed to disk (fsync), then renamed into place in one atomic step, so a reader never sees half a file.
- ``s3``: the blob is the object ``HUHANG_EVIDENCE_S3_PREFIX + key`` in an S3-compatible bucket (MinIO, Ceph RGW,
  OBS, OSS, AWS). The upload is spooled to a temporary file under ``HUHANG_EVIDENCE_DIR/incoming`` while it is
  hashed, then sent from that file (multipart when large); S3 makes an object visible only once complete.

Either way the same content is stored once. Uploaders' file names never reach this module: the only path or
object key it builds comes from a hash it computed.
"""

import base64
import contextlib
import functools
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from huhang.ledger.suites import get_suite

CHUNK = 1 << 20
_KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\Z")


class StoreError(Exception):
    """The store could not be reached or refused the request (bad credentials, missing bucket...)."""


class TooLarge(Exception):
    """The content is larger than the limit; nothing was kept."""

    def __init__(self, limit: int):
        self.limit = limit
        super().__init__(f"larger than {limit} bytes")


@dataclass(frozen=True)
class StoredBlob:
    key: str
    sha256: str
    sm3: str
    size: int
    head: bytes  # the first bytes, for sniffing the media type
    created: bool  # False: the same content was stored already


def blob_key(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class LocalStore:
    """Blobs on the local disk under ``root``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root / key

    def put(
        self, chunks: Iterable[bytes], *, max_bytes: int, with_sm3: bool = False, head_size: int = 8192
    ) -> StoredBlob:
        """Store the content of ``chunks``; raise :class:`TooLarge` (keeping nothing) past ``max_bytes``."""
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=incoming, prefix="upload-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                digest, sm3, size, head = _receive(
                    chunks, out, max_bytes=max_bytes, with_sm3=with_sm3, head_size=head_size
                )
                os.fsync(out.fileno())
            key = blob_key(digest)
            final = self.path(key)
            final.parent.mkdir(parents=True, exist_ok=True)
            created = not final.exists()
            if created:
                os.chmod(tmp, 0o440)
                os.replace(tmp, final)
                _fsync_dir(final.parent)
            return StoredBlob(key, digest, sm3, size, head, created)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def open(self, key: str):
        return self.path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def keys(self) -> Iterator[str]:
        """Every stored blob's key (temporary files excluded)."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if not re.fullmatch(r"[0-9a-f]{2}", first.name):
                continue
            for path in sorted(first.glob("*/*")):
                key = f"{first.name}/{path.parent.name}/{path.name}"
                if _KEY.match(key):
                    yield key

    def sha256_of(self, key: str) -> str:
        h = hashlib.sha256()
        with self.open(key) as f:
            while chunk := f.read(CHUNK):
                h.update(chunk)
        return h.hexdigest()


def _receive(chunks: Iterable[bytes], out, *, max_bytes: int, with_sm3: bool, head_size: int):
    """Write ``chunks`` to ``out`` while hashing them; return ``(sha256 hex, sm3 hex or "", size, head)``."""
    sha = hashlib.sha256()
    sm3 = get_suite("sm3-sm2").new_hash(b"") if with_sm3 else None
    size, head = 0, b""
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(max_bytes)
        if len(head) < head_size:
            head += chunk[: head_size - len(head)]
        sha.update(chunk)
        if sm3 is not None:
            sm3.update(chunk)
        out.write(chunk)
    out.flush()
    return sha.hexdigest(), sm3.hexdigest() if sm3 is not None else "", size, head


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


MULTIPART_THRESHOLD = 64 * 1024 * 1024  # larger uploads go in parts of this size
# Error codes of endpoints that do not support a checksum argument (older MinIO/Ceph, OBS, OSS).
_CHECKSUM_REFUSALS = {"InvalidRequest", "InvalidArgument", "NotImplemented", "BadRequest", "400", "501"}


class S3Store:
    """Blobs as objects ``prefix + key`` in an S3-compatible bucket."""

    def __init__(self, client, *, bucket: str, prefix: str, scratch: Path, endpoint: str = ""):
        self.client, self.bucket, self.prefix = client, bucket, prefix
        self.scratch, self.endpoint = Path(scratch), endpoint
        self.multipart_threshold = MULTIPART_THRESHOLD

    def object_key(self, key: str) -> str:
        if not _KEY.match(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.prefix + key

    def _error(self, exc: Exception, doing: str) -> StoreError:
        code = _error_code(exc)
        detail = f"{code}: {exc}" if code else str(exc)
        where = f"bucket {self.bucket!r} at {self.endpoint}" if self.endpoint else f"bucket {self.bucket!r}"
        return StoreError(f"the S3 evidence store ({where}) failed to {doing}: {detail}")

    def _head(self, object_key: str) -> dict | None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.client.head_object(Bucket=self.bucket, Key=object_key)
        except ClientError as exc:
            if _error_code(exc) in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise self._error(exc, "look up an object") from exc
        except BotoCoreError as exc:
            raise self._error(exc, "look up an object") from exc

    def put(
        self, chunks: Iterable[bytes], *, max_bytes: int, with_sm3: bool = False, head_size: int = 8192
    ) -> StoredBlob:
        """Store the content of ``chunks``; raise :class:`TooLarge` (keeping nothing) past ``max_bytes`` and
        :class:`StoreError` if the store refuses it."""
        self.scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=self.scratch, prefix="upload-") as spool:
            digest, sm3, size, head = _receive(
                chunks, spool, max_bytes=max_bytes, with_sm3=with_sm3, head_size=head_size
            )
            key = blob_key(digest)
            object_key = self.object_key(key)
            existing = self._head(object_key)
            created = existing is None or existing.get("ContentLength") != size
            if created:
                spool.seek(0)
                self._upload(spool, object_key, digest, size)
            return StoredBlob(key, digest, sm3, size, head, created)

    def _upload(self, spool, object_key: str, digest: str, size: int) -> None:
        from boto3.s3.transfer import TransferConfig
        from botocore.exceptions import BotoCoreError, ClientError

        start = spool.tell()
        for with_checksum in (True, False):
            spool.seek(start)
            try:
                if size < self.multipart_threshold:
                    extra = (
                        {"ChecksumSHA256": base64.b64encode(bytes.fromhex(digest)).decode()} if with_checksum else {}
                    )
                    self.client.put_object(
                        Bucket=self.bucket, Key=object_key, Body=spool, ContentType="application/octet-stream", **extra
                    )
                else:
                    extra = {"ChecksumAlgorithm": "SHA256"} if with_checksum else {}
                    config = TransferConfig(
                        multipart_threshold=self.multipart_threshold,
                        multipart_chunksize=self.multipart_threshold,
                        max_concurrency=4,
                    )
                    self.client.upload_fileobj(
                        spool,
                        self.bucket,
                        object_key,
                        ExtraArgs={"ContentType": "application/octet-stream", **extra},
                        Config=config,
                    )
                return
            except ClientError as exc:
                if with_checksum and _refuses_checksum(exc):
                    continue  # the endpoint does not do SHA-256 checksums: send it plain
                raise self._error(exc, "store an object") from exc
            except BotoCoreError as exc:
                raise self._error(exc, "store an object") from exc

    def open(self, key: str):
        """A readable stream of the blob (``read(n)``, ``close()``); FileNotFoundError if there is none."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))["Body"]
        except ClientError as exc:
            if _error_code(exc) in {"404", "NoSuchKey", "NotFound"}:
                raise FileNotFoundError(key) from None
            raise self._error(exc, "read an object") from exc
        except BotoCoreError as exc:
            raise self._error(exc, "read an object") from exc

    def exists(self, key: str) -> bool:
        return self._head(self.object_key(key)) is not None

    def keys(self) -> Iterator[str]:
        """Every stored blob's key (other objects under the prefix excluded)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for item in page.get("Contents", ()):
                    key = item["Key"][len(self.prefix) :]
                    if _KEY.match(key):
                        yield key
        except (BotoCoreError, ClientError) as exc:
            raise self._error(exc, "list objects") from exc

    def sha256_of(self, key: str) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        h = hashlib.sha256()
        with contextlib.closing(self.open(key)) as stream:
            try:
                while chunk := stream.read(CHUNK):
                    h.update(chunk)
            except (BotoCoreError, ClientError) as exc:
                raise self._error(exc, "read an object") from exc
        return h.hexdigest()


def _error_code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str((response.get("Error") or {}).get("Code") or "")


def _refuses_checksum(exc: Exception) -> bool:
    code = _error_code(exc)
    if code in {"NotImplemented", "501"}:
        return True
    return code in _CHECKSUM_REFUSALS and "checksum" in str(exc).lower()


@functools.lru_cache(maxsize=4)
def s3_client(endpoint: str, region: str, access_key: str, secret_key: str):
    """A boto3 S3 client for an S3-compatible endpoint (cached: creating one is slow)."""
    import boto3
    from botocore.config import Config

    config = Config(
        region_name=region,
        signature_version="s3v4",
        s3={"addressing_style": "path"},  # works with MinIO/Ceph without wildcard DNS
        # Send and check checksums only where the API demands it: many S3-compatible endpoints reject the
        # CRC headers newer clients add by default. The SHA-256 of each upload is sent explicitly instead.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=10,
        read_timeout=60,
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=config,
    )


def evidence_store() -> LocalStore | S3Store:
    """Return the configured store (read from the settings at each call)."""
    backend = settings.HUHANG_EVIDENCE_STORE
    if backend == "local":
        return LocalStore(settings.HUHANG_EVIDENCE_DIR)
    if backend == "s3":
        endpoint = settings.HUHANG_EVIDENCE_S3_ENDPOINT
        client = s3_client(
            endpoint,
            settings.HUHANG_EVIDENCE_S3_REGION,
            settings.HUHANG_EVIDENCE_S3_ACCESS_KEY,
            settings.HUHANG_EVIDENCE_S3_SECRET_KEY,
        )
        return S3Store(
            client,
            bucket=settings.HUHANG_EVIDENCE_S3_BUCKET,
            prefix=settings.HUHANG_EVIDENCE_S3_PREFIX,
            scratch=Path(settings.HUHANG_EVIDENCE_DIR) / "incoming",
            endpoint=endpoint,
        )
    raise ImproperlyConfigured(f"HUHANG_EVIDENCE_STORE={backend!r}: use 'local' or 's3'")
