"""Fixtures for these tests: an English UI unless a test asks for another language."""

from tests.practice.helpers import english_ui  # noqa: F401 - an autouse fixture, used by name
