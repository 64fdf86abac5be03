"""Names the dead-code check (`make lint`: vulture) must not report: used by name from outside.

Not a test module (pytest collects test_*.py only); vulture reads it as code that uses these."""
from __future__ import annotations

from crawler.topics import rules
from spiders import outlets

outlets.OutletSpiderLoader  # noqa: B018 - named by SPIDER_LOADER_CLASS in crawler/settings.py
rules.Group.description  # noqa: B018 - topics.toml keys: documentation for the rule's reader
rules.TopicSpec.description  # noqa: B018

# Called by the frameworks they plug into (issue 12: where rasad may connect).
from crawler.alerts.channels import targets  # noqa: E402
from crawler.dev.mirror import hostile  # noqa: E402
from crawler.guard import resolver  # noqa: E402

resolver.GuardedResolver.install_on_reactor  # noqa: B018 - Scrapy installs TWISTED_DNS_RESOLVER
targets._GuardedBackend.connect_unix_socket  # noqa: B018 - httpcore NetworkBackend interface
hostile._Handler.close_connection  # noqa: B018 - http.server reads it after the response
targets.smtp_class(False, ssl=False)._get_socket  # noqa: B018 - smtplib's connect() calls it

from scrapy.core.engine import ExecutionEngine  # noqa: E402

from crawler.cluster import frontier  # noqa: E402

frontier.SharedScheduler  # noqa: B018 - named by SCHEDULER in crawler/cluster/crawl.py
frontier.SharedScheduler.enqueue_request  # noqa: B018 - Scrapy's scheduler interface
frontier.SharedScheduler.next_request  # noqa: B018
ExecutionEngine._SLOT_HEARTBEAT_INTERVAL  # noqa: B018 - read by Scrapy's engine

# Named by FEED_EXPORTERS and DOWNLOAD_HANDLERS in crawler/settings.py.
from crawler.components import connect_to, feeds  # noqa: E402

feeds.FlatCsvItemExporter  # noqa: B018
feeds.FlatJsonItemExporter  # noqa: B018
feeds.FlatJsonLinesItemExporter  # noqa: B018
connect_to.ConnectToDownloadHandler  # noqa: B018

# Lazy loading: Python calls a module's __getattr__ (PEP 562) and click calls a group's
# list_commands for --help.
from crawler import alerts, cli  # noqa: E402

alerts.__getattr__  # noqa: B018
cli._Group.list_commands  # noqa: B018

# Named by STATS_CLASS in crawler/settings.py; asyncio calls a protocol's hooks by name.
from crawler.components import pool, stats  # noqa: E402

stats.Stats  # noqa: B018
pool._ResultReader.connection_made  # noqa: B018
pool._ResultReader.data_received  # noqa: B018
pool._ResultReader.eof_received  # noqa: B018
pool._ResultReader.connection_lost  # noqa: B018
