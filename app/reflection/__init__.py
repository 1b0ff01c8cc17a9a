"""Reflection: templates, schedules and prompts, reflections and sharing, group sessions, SKJ hours."""
