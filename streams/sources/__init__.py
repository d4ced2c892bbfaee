"""Where articles come from: JSONL files (`streams ingest`) and web feeds (`streams feeds`)."""
