"""Bulk import of lists (CSV, XLSX) as records, matched against open traces on the way in."""
