"""Personal data rights: download everything that is one's own, and delete one's account."""
