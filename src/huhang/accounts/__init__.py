"""Accounts: organisations, users and their roles, API tokens for partner systems."""
