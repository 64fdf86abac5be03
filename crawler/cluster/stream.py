"""What travels from the workers to the writer on the `rasad:articles` stream.

Each entry has a `kind`: `article` (an extracted article with the keys the worker computed, as
the single-process pipeline does), `run_start` and `run_end` (a round of an outlet began or ended:
the writer records it in crawl_runs, which also ends the outlet's baseline)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.record import Article


@dataclass
class ArticleMessage:
    outlet: str
    round_id: str
    article: Article
    key: str
    fetched_key: str
    aliases: list[str]
    source_modified: str | None

    def fields(self, worker: str) -> dict[str, str]:
        return {"kind": "article", "outlet": self.outlet, "round": self.round_id,
                "by": worker, "data": json.dumps({
                    "article": self.article.to_dict(), "key": self.key,
                    "fetched_key": self.fetched_key, "aliases": self.aliases,
                    "source_modified": self.source_modified}, ensure_ascii=False)}

    @classmethod
    def parse(cls, fields: dict[str, str]) -> ArticleMessage:
        data: dict[str, Any] = json.loads(fields["data"])
        return cls(fields["outlet"], fields["round"], Article(**data["article"]), data["key"],
                   data["fetched_key"], list(data["aliases"]), data.get("source_modified"))


def decode(fields: dict[bytes, bytes]) -> dict[str, str]:
    return {k.decode(): v.decode() for k, v in fields.items()}
