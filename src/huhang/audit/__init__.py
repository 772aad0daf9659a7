"""Audit trail: who did what, and when, for actions that are not a row's own history.

Changes to registry rows are versioned row by row (django-simple-history); this app records the actions
around them: imports, exports, logins, tokens issued.
"""
