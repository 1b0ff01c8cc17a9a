"""Organisations: the tenant every account, team and catalogue belongs to."""
