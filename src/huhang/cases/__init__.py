"""Cases (案件): one model for every kind of matter, its procedure replayed by :mod:`huhang.procedures`.

Write paths are in :mod:`.services` (each records who and when, and appends the change to the evidence
ledger once it is committed), read paths in :mod:`.selectors`, permission gates in :mod:`.access`.
"""
