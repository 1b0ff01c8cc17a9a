"""Tests of app/practice."""
