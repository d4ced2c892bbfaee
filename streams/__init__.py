"""Streaming enrichment of news articles: entities and casualty figures, on Kafka with faust."""

__version__ = "0.1.0"
