"""Background jobs: the runner (RQ or a thread), the batch of couple reports, their pages."""
