"""Metrics over practice logs and reflections, each defined once (shared/domain/metrics.md)."""
