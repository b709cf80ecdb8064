"""Counselors' private session notes, addenda, the couple's progress summary, and search."""
