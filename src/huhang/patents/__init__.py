"""Patent analytics in the platform: the ``huhang patents`` command over the :mod:`huhang.analytics` core.

The core keeps the analytical store in ``HUHANG_DATA_DIR/analytics/patents.duckdb`` and the search indexes
under ``HUHANG_DATA_DIR/analytics/search``; this app only finds those paths, turns registry patents into
records, parses arguments and prints results.
"""
