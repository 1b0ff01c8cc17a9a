"""Tests of app/mail."""
