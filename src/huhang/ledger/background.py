"""Work a log's helpers repeat in a background thread: a round now, then one every ``interval`` seconds.

The publisher (witness cosignatures) and the timestamper (RFC 3161 tokens) each hold their own database
connection and do one round at a time; this base class gives both the same start, stop and close.
"""

from __future__ import annotations

import contextlib
import logging
import threading

logger = logging.getLogger(__name__)


class BackgroundRounds:
    """Subclasses set ``store``, ``log``, ``interval`` and ``_own_store``, and define :meth:`_one_round`."""

    _thread_name = "rounds"

    def _init_rounds(self) -> None:
        self._round = threading.Lock()  # one round at a time: the store's connection is not shared
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()

    def _one_round(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        """Work in a background thread: a round now, then one every ``interval`` seconds."""
        with self._thread_lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            name = f"{self._thread_name} {self.log.origin}"
            self._thread = threading.Thread(target=self._run, name=name, daemon=True)
            self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop the background thread (after the round in progress)."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def close(self) -> None:
        """Stop, and close the helper's own database connection."""
        self.stop()
        if self._own_store:
            with self._round, contextlib.suppress(Exception):
                self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._one_round()
            except Exception:
                logger.exception("%s of %s failed", self._thread_name, self.log.origin)
            self._stop.wait(self.interval)
