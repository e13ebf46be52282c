"""`timeline` commands of this group (placeholder until the group lands)."""

import typer


def register(app: typer.Typer) -> None:
    """Add this group's commands to the app."""
