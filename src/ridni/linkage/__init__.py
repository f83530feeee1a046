"""Matching children across scripts and sources. Imports nothing from the web app."""
