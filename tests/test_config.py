"""The outlet config: the real file loads, the overlay moves origins, broken files are named."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config.outlets import ConfigError, load_config, parse_origins

ROOT = Path(__file__).resolve().parent.parent
GOOD = """
[outlets.demo]
name = "Demo"
home = "https://demo.example/ar/"
article_url = ['^/ar/news/\\d+$']
"""


def write(tmp_path: Path, text: str, name: str = "outlets.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_real_config_has_the_three_outlets() -> None:
    config = load_config(ROOT / "config" / "outlets.toml")
    assert set(config.outlets) == {"centcomcitadel", "maseer", "alqaed"}
    maseer = config.outlets["maseer"]
    assert maseer.home == "https://maseer.net/"
    assert maseer.is_article_url("https://maseer.net/archives/12345")
    assert not maseer.is_article_url("https://maseer.net/archives/category/%D9%85/")
    alqaed = config.outlets["alqaed"]
    assert alqaed.is_article_url("https://alqaed.pk/ar/?p=4521")
    assert not alqaed.is_article_url("https://alqaed.pk/ar/?cat=3")
    citadel = config.outlets["centcomcitadel"]
    base = "https://centcomcitadel.com/ar/articles/ssc/features/2025/07/10/feature-01"
    assert citadel.is_article_url(base) and citadel.is_article_url(base + "/%D8%B7%D8%A7")


def test_overlay_moves_origins_and_keeps_rules() -> None:
    base = load_config(ROOT / "config" / "outlets.toml")
    mirror = load_config(ROOT / "config" / "mirror.toml")
    for outlet_id, outlet in mirror.outlets.items():
        real = base.outlets[outlet_id]
        assert outlet.home.startswith("http://127.0.0.1:")
        assert outlet.article_url == real.article_url
        assert outlet.extract == real.extract
        assert outlet.is_allowed(outlet.home) and not outlet.is_allowed(real.home)
    assert mirror.outlets["alqaed"].feeds == ["http://127.0.0.1:8703/ar/feed/"]


def test_origin_flag_is_the_same_mechanism(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD), parse_origins(["demo=http://127.0.0.1:9999"]))
    outlet = config.outlets["demo"]
    assert outlet.home == "http://127.0.0.1:9999/ar/"
    assert outlet.is_allowed("http://127.0.0.1:9999/ar/news/1")
    assert not outlet.is_allowed("http://127.0.0.1:9998/ar/news/1")


@pytest.mark.parametrize(
    ("extra", "key", "message"),
    [
        ("colour = 'red'", "colour", "unknown key"),
        ("max_listing_pages = 'three'", "max_listing_pages", "integer"),
        ("politeness = { delay = 'fast' }", "politeness.delay", "number"),
        ("article_url = ['([']", "article_url", "invalid regex"),
        ("interval = 'soon'", "interval", "interval"),
        ("extract = { theme = 'wix' }", "extract.theme", "jnews"),
    ],
)
def test_broken_config_names_file_outlet_and_key(
    tmp_path: Path, extra: str, key: str, message: str
) -> None:
    text = GOOD.replace("article_url", "#") if extra.startswith("article_url") else GOOD
    path = write(tmp_path, text + extra + "\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    text = str(err.value)
    assert str(path) in text and "'demo'" in text and f"'{key}'" in text and message in text


def test_missing_required_key(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("home =", "#"))
    with pytest.raises(ConfigError, match=r"outlet 'demo': key 'home': missing required key"):
        load_config(path)


def test_unknown_origin_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown outlet 'nope'"):
        load_config(write(tmp_path, GOOD), {"nope": "http://127.0.0.1:1"})
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[outlets.demo\n", "bad.toml"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "missing.toml")
