"""Accounts: registration, sign-in, passwords, roles, user administration."""
