"""One registry per kind of thing: every theme module and every channel kind is registered once,
named in the README, and an unregistered name is refused at config load with file and key."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.alerts.channels import KINDS
from crawler.alerts.config import AlertConfigError, Channel, load_alerts
from crawler.config.outlets import ConfigError, load_config
from crawler.extract.themes import THEMES, get_theme

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_theme_module_is_registered_under_its_name() -> None:
    modules = {p.stem for p in (ROOT / "crawler" / "extract" / "themes").glob("*.py")
               if p.stem != "__init__"}
    assert modules == set(THEMES)
    for name in THEMES:
        assert get_theme(name).name == name
        assert f"`{name}`" in README


def test_every_channel_kind_is_registered_under_its_name() -> None:
    for name, model in KINDS.items():
        assert issubclass(model, Channel)
        assert model.model_fields["kind"].default == name
        assert f"`{name}`" in README
    defined = set()
    for path in (ROOT / "crawler" / "alerts" / "channels").glob("*.py"):
        defined |= set(re.findall(r'kind: Literal\["(\w+)"\]', path.read_text(encoding="utf-8")))
    assert defined == set(KINDS)


def test_an_unknown_theme_is_refused_with_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "outlets.toml"
    path.write_text('[outlets.demo]\nname = "Demo"\nhome = "https://demo.example/"\n'
                    'article_url = ["/a/"]\nextract = { theme = "wix" }\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: outlet 'demo': key 'extract.theme': unknown theme")


def test_an_unknown_channel_kind_is_refused_with_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "alerts.toml"
    path.write_text('[channels.x]\nkind = "pager"\n', encoding="utf-8")
    with pytest.raises(AlertConfigError) as err:
        load_alerts(path)
    assert str(err.value).startswith(f"{path}: channel 'x': key 'kind': must be one of")
