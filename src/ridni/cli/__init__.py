"""The `ridni` command line (Typer + Rich). Commands call services; they hold no domain logic."""
