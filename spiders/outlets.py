"""One spider class per configured outlet, so `scrapy list` and `scrapy crawl <id>` work.

The classes are made from the outlet config at import time (RASAD_CONFIG, else
config/outlets.toml). An outlet that needs code gets its own module in spiders/ defining a
subclass of OutletSpider with `name = "<id>"`; `spider_class` returns that one instead."""
from __future__ import annotations

import importlib
import importlib.util
import os

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


def _outlet_ids() -> list[str]:
    try:
        return list(load_config(os.environ.get("RASAD_CONFIG") or None).outlets)
    except ConfigError:
        return []  # `scrapy crawl` reports the config error itself when the spider starts


for _id in _outlet_ids():
    if importlib.util.find_spec(f"spiders.{_id}") is None:
        _cls = spider_class(_id)
        globals()[_cls.__name__] = _cls
        del _cls  # a second reference would make Scrapy list the spider twice
