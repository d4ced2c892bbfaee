"""News feeds in: RSS/Atom feeds polled, article pages fetched and extracted, raw article events out.

The poller is a separate process (`streams feeds run`) using kafka-python, not a faust timer in the worker:
fetching is slow, blocking network I/O bounded by politeness delays (per-host rate limit, retries with back-off,
robots.txt), while the worker is a CPU-bound NLP loop whose event loop must keep heart-beating to its consumer
group. Keeping them apart means a slow news site can never stall enrichment or trigger a rebalance, the two
scale independently (one poller, many workers), and the poller can be restarted or run `--once` from cron
without touching the worker. It talks to Kafka exactly like `streams ingest` does.
"""
