"""Fixtures for these tests: a real SMTP server (see tests/smtp.py)."""

from tests.smtp import smtp_server  # noqa: F401 - a fixture, used by name
