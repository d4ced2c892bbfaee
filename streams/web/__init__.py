"""The worker's HTTP API and the static dashboard it serves."""
