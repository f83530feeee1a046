"""Ridni: trace, document and help bring home children deported or forcibly transferred in war."""

__version__ = "0.1.0"

__all__ = ["__version__"]
