"""Worker mode: several `rasad crawl --redis` processes (on one machine or many) share each
outlet's frontier on Redis through scrapy-redis, and one `rasad ingest` writes what they found
into the store (README, "Workers and one writer").

Layers: keys.py (Redis names and connection) ← frontier.py (scheduler, leases, rounds),
politeness.py (per-outlet slots), worker.py (the Scrapy glue of a worker), stream.py (what
travels from the workers to the writer) ← ingest.py (the writer), status.py."""
