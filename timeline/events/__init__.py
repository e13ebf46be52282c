"""Event mentions: dated sentences of an article, with their clause, actors, places and reporting role."""

from timeline.events.mentions import extract_mentions, mentions_from
from timeline.events.segment import split_sentences

__all__ = ["extract_mentions", "mentions_from", "split_sentences"]
