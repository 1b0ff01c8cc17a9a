"""Practice logs: a session logged against the core elements, by and for the practitioner."""
