"""Families' tracing requests: the inquirer and one trace per sought child."""
