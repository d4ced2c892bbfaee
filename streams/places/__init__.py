"""Places resolved from an article's own context: country, admin1, admin2, town and coordinates. No Kafka here."""

from streams.places.stage import PlaceStage, place_article

__all__ = ["PlaceStage", "place_article"]
