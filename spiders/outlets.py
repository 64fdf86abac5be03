"""One spider class per configured outlet, so `scrapy list` and `scrapy crawl <id>` work.

Scrapy finds spiders through its spider loader: `OutletSpiderLoader` (SPIDER_LOADER_CLASS in
crawler/settings.py) adds one class per outlet of the file the RASAD_CONFIG setting names (else
config/outlets.toml) to those it finds in SPIDER_MODULES. An outlet that needs code gets its own
module in spiders/ defining a subclass of OutletSpider with `name = "<id>"`; `spider_class`
returns that one instead."""
from __future__ import annotations

import importlib
import importlib.util

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from crawler.config.outlets import ConfigError, load_config
from spiders.base import OutletSpider


def spider_class(outlet_id: str) -> type[OutletSpider]:
    if importlib.util.find_spec(f"spiders.{outlet_id}") is not None:
        module = importlib.import_module(f"spiders.{outlet_id}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, OutletSpider) \
                    and value.name == outlet_id:
                return value
    return type(f"{outlet_id.title().replace('_', '')}Spider", (OutletSpider,),
                {"name": outlet_id, "__module__": __name__})


class OutletSpiderLoader(SpiderLoader):
    """Scrapy's loader plus one spider per configured outlet."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        try:
            ids = list(load_config(settings.get("RASAD_CONFIG") or None).outlets)
        except ConfigError:
            ids = []  # `scrapy crawl` reports the config error itself when the spider starts
        found = set(super().list())  # modules of spiders/ with a named class
        self._outlets = {i: spider_class(i) for i in ids if i not in found}
        self._worker = bool(settings.get("RASAD_REDIS_URL"))  # `rasad crawl --redis`

    def load(self, spider_name: str) -> type:
        if spider_name in self._outlets:
            cls = self._outlets[spider_name]
        else:
            cls = super().load(spider_name)
        if self._worker and issubclass(cls, OutletSpider):
            from spiders.worker import worker_spider

            return worker_spider(cls)
        return cls

    def list(self) -> list[str]:
        return sorted({*super().list(), *self._outlets})
