"""The dense-vector option: embeddings of each patent's title and abstract, searched by cosine similarity.

It is used only when an encoder is given. The platform's encoder is a sentence-transformers model read
from a local directory (:class:`SentenceTransformerEncoder`): nothing is downloaded, the Hugging Face
libraries are put offline before the model is read, and a directory that is not a model is refused. Any
object with a ``name`` and an ``encode(texts) -> array`` method is an encoder (the tests use a small
deterministic one).

Vectors are L2-normalised float32, stored as ``vectors.npy`` beside the patent ids and a manifest (encoder
name, dimension, the store's data version), and searched exactly (a matrix product; 1,000,000 × 384 floats
is 1.5 GB, memory-mapped). Past that, the same vectors go to an approximate index (docs/analytics.md).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from huhang.analytics.errors import SearchError
from huhang.analytics.store import PatentStore

_MANIFEST = "manifest.json"


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into vectors of one fixed dimension."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one row per text."""
        ...


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local directory (never downloaded)."""

    def __init__(self, model_dir: str | os.PathLike[str], *, batch_size: int = 32) -> None:
        path = Path(model_dir)
        if not path.is_dir() or not any((path / name).is_file() for name in ("modules.json", "config.json")):
            raise SearchError(f"{path} is not a local sentence-transformers model directory")
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise SearchError("the dense option needs the sentence-transformers package") from exc
        self.model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.name = f"sentence-transformers:{path.name}"
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise SearchError(f"the encoder returned an array of shape {vectors.shape}, not one row per text")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class DenseIndex:
    """Normalised vectors of the store's patents, for cosine-similarity search."""

    def __init__(self, vectors: np.ndarray, ids: list[str], manifest: dict) -> None:
        self.vectors = vectors
        self.ids = ids
        self.manifest = manifest

    @classmethod
    def build(
        cls,
        store: PatentStore,
        encoder: Encoder,
        directory: str | os.PathLike[str],
        *,
        batch_size: int = 256,
        progress: Callable[[int, int], None] | None = None,
    ) -> DenseIndex:
        """Encode every patent's title and abstract and save the vectors to ``directory``."""
        rows = store.query("SELECT id, concat_ws(chr(10), title, abstract) FROM patents ORDER BY id")
        if not rows:
            raise SearchError("no patents to index: load patents first")
        ids = [row[0] for row in rows]
        parts = []
        for start in range(0, len(rows), batch_size):
            parts.append(_normalise(encoder.encode([row[1] or "" for row in rows[start : start + batch_size]])))
            if progress is not None:
                progress(min(start + batch_size, len(rows)), len(rows))
        vectors = np.vstack(parts)
        manifest = {
            "data_version": store.data_version,
            "encoder": encoder.name,
            "dimension": int(vectors.shape[1]),
            "documents": len(ids),
        }
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=directory.name + "-", dir=directory.parent))
        np.save(work / "vectors.npy", vectors)
        (work / "ids.json").write_text(json.dumps(ids, ensure_ascii=False), encoding="utf-8")
        (work / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        if directory.exists():
            shutil.rmtree(directory)
        work.rename(directory)
        return cls(vectors, ids, manifest)

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> DenseIndex:
        """Load saved vectors (memory-mapped)."""
        directory = Path(directory)
        if not (directory / _MANIFEST).is_file():
            raise SearchError(f"no dense index in {directory}: build it first")
        manifest = json.loads((directory / _MANIFEST).read_text(encoding="utf-8"))
        ids = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
        return cls(np.load(directory / "vectors.npy", mmap_mode="r"), ids, manifest)

    @staticmethod
    def manifest_of(directory: str | os.PathLike[str]) -> dict | None:
        """Return the manifest of saved vectors, or None."""
        path = Path(directory) / _MANIFEST
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def search(self, encoder: Encoder, texts: Sequence[str], k: int) -> list[list[tuple[str, float]]]:
        """Return, per query text, the ``k`` most similar patents as ``(id, cosine)``, best first."""
        if encoder.name != self.manifest["encoder"]:
            raise SearchError(f"the index was built with {self.manifest['encoder']}, not {encoder.name}")
        if not texts:
            return []
        queries = _normalise(encoder.encode(list(texts)))
        if queries.shape[1] != self.vectors.shape[1]:
            raise SearchError("the encoder's dimension differs from the index's")
        k = max(1, min(k, len(self.ids)))
        similarity = queries @ np.asarray(self.vectors).T
        out = []
        for row in similarity:
            best = np.argpartition(-row, k - 1)[:k] if k < len(row) else np.arange(len(row))
            best = best[np.argsort(-row[best], kind="stable")]
            out.append([(self.ids[int(i)], float(row[i])) for i in best])
        return out
