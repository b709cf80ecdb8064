"""Calendar feeds (.ics) of sessions, and the email reminders sent before them."""
