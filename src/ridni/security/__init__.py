"""Access control, encryption at rest, audit and the other protections of personal data."""
