"""The event contract: JSON Schemas of every topic and the validation of raw articles."""
