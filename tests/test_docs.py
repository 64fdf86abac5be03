"""Docs are part of the change: every command, option and config key is in the README, and
every --help shows an example."""
from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from crawler.cli import all_commands, main
from crawler.config.outlets import ExtractRules, Outlet, Politeness

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "rasad") -> list[tuple[str, click.Command]]:
    found = []
    for name, cmd in (all_commands() if group is main else group.commands).items():
        path = f"{prefix} {name}"
        found.append((path, cmd))
        if isinstance(cmd, click.Group):
            found += commands(cmd, path)
    return found


@pytest.mark.parametrize(("path", "cmd"), commands(main), ids=lambda v: str(v))
def test_command_documented_with_example(path: str, cmd: click.Command) -> None:
    assert f"`{path}" in README, f"{path} is not in the README"
    assert "Example" in (cmd.help or ""), f"{path} --help has no example"
    for param in cmd.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--") and opt not in ("--help",):
                assert opt in README, f"{path} {opt} is not in the README"


def test_every_config_key_documented() -> None:
    keys = [k for k in Outlet.model_fields if k not in ("id", "politeness", "extract")]
    keys += [f"politeness.{k}" for k in Politeness.model_fields]
    keys += [f"extract.{k}" for k in ExtractRules.model_fields]
    missing = [k for k in keys if not re.search(rf"`{re.escape(k)}`", README)]
    assert not missing, f"config keys missing from the README: {missing}"


def test_topic_and_alert_config_keys_documented() -> None:
    from crawler.alerts.channels import KINDS
    from crawler.alerts.config import Retry
    from crawler.topics.rules import Country, Group, Roles, State, TopicSpec

    keys = [k for m in (Group, TopicSpec, Country, State, Retry, Roles) for k in m.model_fields]
    keys += [key for model in KINDS.values() for key in model.keys()]
    missing = sorted({k for k in keys if k not in ("id", "groups", "exclude", "retry")
                      and not re.search(rf"`{re.escape(k)}`|`[^`]*\b{re.escape(k)}\b[^`]*`",
                                        README)})
    assert not missing, f"topics/alerts config keys missing from the README: {missing}"
