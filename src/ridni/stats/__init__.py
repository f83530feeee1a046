"""Public statistics: aggregate figures with small cells suppressed, never an individual child."""
