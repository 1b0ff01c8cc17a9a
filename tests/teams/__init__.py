"""Tests of app/teams."""
