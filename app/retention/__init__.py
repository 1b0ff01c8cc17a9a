"""Retention: per kind of data how long an organisation keeps it, and the daily job that deletes."""
