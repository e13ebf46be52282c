"""A second pass over the tagger's output: compose neighbouring pieces into one expression, add missed atoms.

The tagger reads "third tuesday of september 2014" as a Tuesday and a month, "July 8 - 9 2019" as two
days; a reader means one day and one range. `refine` looks only at each expression, the text right
around it and the text between neighbours (a bounded window), so it stays linear in the text, and takes
every word and pattern from `data/en/compose.toml`. It never raises: a rule that cannot anchor is skipped.
"""

from timeline.temporal.compose.engine import grammar, refine

__all__ = ["grammar", "refine"]
