"""Dated steps of a child: taken from a place, through facilities, to placement or return."""
