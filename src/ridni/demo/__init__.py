"""Synthetic demo data: every person, place name and list in it is invented."""
