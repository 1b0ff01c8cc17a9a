"""Privacy: the free-text guard against client identifiers, and the access log."""
