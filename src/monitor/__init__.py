"""monitor: watches news coverage of AI costs.

Polls RSS/Atom feeds, extracts article text, finds cost figures and chip
counts, stores them in DuckDB and alerts subscribers on contradictions.
"""

__version__ = "0.1.0"
