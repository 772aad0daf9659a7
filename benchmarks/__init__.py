"""Benchmarks of Huhang, one module per capability: ``python -m benchmarks [registry ...]``.

Each benchmark measures a real code path and, in the same run, a bare reference that does the same work
without the platform (a raw ``executemany``, the bare SQL query), and reports both and their ratio: the
machines are small and shared, so the ratio says more than either figure. Results are printed as Markdown
and written to ``benchmarks/out/results-<date>.md``; docs/benchmarks.md explains them.
"""
