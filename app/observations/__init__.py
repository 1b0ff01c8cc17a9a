"""Observations: a coach records what they saw in a session; the practitioner compares it with their log."""
