"""Who did what, when, from where and why."""
