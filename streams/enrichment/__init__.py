"""Enrichment of one article (entities, then casualty figures) and of a batch of source records; no Kafka."""
