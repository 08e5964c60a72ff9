"""The three framing labels, in the order every score vector uses."""

LABELS = ("optimistic", "critical", "neutral")
