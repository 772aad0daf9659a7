"""Content-addressed storage of evidence files: a file's name is its SHA-256.

A blob lives at ``ab/cd/<sha256 hex>`` under ``HUHANG_EVIDENCE_DIR`` (default ``HUHANG_DATA_DIR/evidence``).
It is written to a temporary file in the same directory while it is hashed, flushed to disk (fsync), then
renamed into place in one atomic step, so a reader never sees half a file; the same content is stored once.
Uploaders' file names never reach this module: the only path it builds comes from a hash it computed.
"""

import contextlib
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
        sha = hashlib.sha256()
        sm3 = get_suite("sm3-sm2").new_hash(b"") if with_sm3 else None
        size, head = 0, b""
        fd, tmp_name = tempfile.mkstemp(dir=incoming, prefix="upload-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
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
                os.fsync(out.fileno())
            digest = sha.hexdigest()
            key = blob_key(digest)
            final = self.path(key)
            final.parent.mkdir(parents=True, exist_ok=True)
            created = not final.exists()
            if created:
                os.chmod(tmp, 0o440)
                os.replace(tmp, final)
                _fsync_dir(final.parent)
            return StoredBlob(key, digest, sm3.hexdigest() if sm3 is not None else "", size, head, created)
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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def evidence_store() -> LocalStore:
    """Return the configured store (read from the settings at each call)."""
    backend = settings.HUHANG_EVIDENCE_STORE
    if backend == "local":
        return LocalStore(settings.HUHANG_EVIDENCE_DIR)
    raise ImproperlyConfigured(f"HUHANG_EVIDENCE_STORE={backend!r}: only 'local' is available")
