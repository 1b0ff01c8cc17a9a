"""Learning goals: what a practitioner works on, tied to a core element, with progress from their logs."""
