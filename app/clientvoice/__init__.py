"""Client voice: the young person or parent rates the session (CollaboRATE), by link or hand-over."""
