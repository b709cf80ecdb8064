"""The practice admin's audit log: who read or changed sensitive records, with filters and CSV."""
