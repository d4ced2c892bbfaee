"""Named entities downstream services can join on: canonical names, stable ids, places geocoded."""

from streams.entities.recognizer import EntityRecognizer, summarize_entities

__all__ = ["EntityRecognizer", "summarize_entities"]
