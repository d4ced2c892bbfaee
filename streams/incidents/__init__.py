"""Incidents recognised across reports: each article's incident report joins an open incident of its region or
opens one, so an incident is counted once with every source (pure functions over plain dicts; no Kafka here)."""
