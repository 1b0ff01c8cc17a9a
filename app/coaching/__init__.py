"""Coaching: the coach's workplace (overview, queue, feedback, observations) and the coachee's side."""
