"""The faust worker: the app, its agents and their wiring to topics and tables."""
