"""Sources, evidence with chain of custody, and the claims sources make."""
