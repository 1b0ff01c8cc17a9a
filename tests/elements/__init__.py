"""Tests of app/elements."""
