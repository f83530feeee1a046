"""People and organisations responsible: officials, agencies, military units, foundations."""
