"""Exports for authorised roles: lists of children (CSV/XLSX) and a child's PDF dossier.

Anything with names or places is delivered as an AES-256 encrypted ZIP and needs a reason;
every export is written to the audit trail (docs/exports.md, decision 304).
"""
