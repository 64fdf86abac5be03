"""Names the dead-code check (`make lint`: vulture) must not report: used by name from outside.

Not a test module (pytest collects test_*.py only); vulture reads it as code that uses these."""
from __future__ import annotations

from crawler.topics import rules
from spiders import outlets

outlets.OutletSpiderLoader  # noqa: B018 - named by SPIDER_LOADER_CLASS in crawler/settings.py
rules.Group.description  # noqa: B018 - topics.toml keys: documentation for the rule's reader
rules.TopicSpec.description  # noqa: B018

from scrapy.core.engine import ExecutionEngine  # noqa: E402

from crawler.cluster import frontier  # noqa: E402

frontier.SharedScheduler  # noqa: B018 - named by SCHEDULER in crawler/cluster/crawl.py
frontier.SharedScheduler.enqueue_request  # noqa: B018 - Scrapy's scheduler interface
frontier.SharedScheduler.next_request  # noqa: B018
ExecutionEngine._SLOT_HEARTBEAT_INTERVAL  # noqa: B018 - read by Scrapy's engine
