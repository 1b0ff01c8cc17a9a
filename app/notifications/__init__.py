"""Notifications: what coaching tells a person in the app (a badge) and by e-mail (a link only)."""
