"""The layer rules as a test (README, "Layout"): config → spiders → crawler → storage.

Every module's imports are read with `ast` (top-level and function-level alike, since a late
import is still a dependency), and each one is checked against the rules below."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "spiders", "storage")

# A package may not import these (its layer is below them).
FORBIDDEN = {
    "storage": ("crawler", "spiders"),
    "crawler": ("spiders",),
    "spiders": (),
}
# Runtime code does not depend on development tooling; only the CLI front end (`rasad mirror`)
# and the tooling itself may import it.
DEV = "crawler.dev"
MAY_USE_DEV = ("crawler.dev", "crawler.cli")


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(name: str, source: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, dotted module) of every import in module `name`, relative ones resolved."""
    tree = ast.parse(source)
    package = name if is_package else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def violations(name: str, source: str, is_package: bool = False) -> list[str]:
    layer = name.split(".")[0]
    out = []
    for line, target in imported(name, source, is_package):
        top = target.split(".")[0]
        if top in FORBIDDEN[layer]:
            out.append(f"{name}:{line}: {layer}/ imports {target} ({top}/ is above it)")
        if within(target, DEV) and not any(within(name, p) for p in MAY_USE_DEV):
            out.append(f"{name}:{line}: runtime module imports dev tooling {target}")
    return out


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_module_keeps_the_layer_rules(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert violations(module_name(path), source, path.name == "__init__.py") == []


PROBE = "from __future__ import annotations\n\ndef f() -> None:\n    from {} import {}\n"


def test_the_check_catches_a_storage_to_crawler_import() -> None:
    assert violations("storage.probe", PROBE.format("crawler.links.urls", "canonical")) == [
        "storage.probe:4: storage/ imports crawler.links.urls (crawler/ is above it)",
        "storage.probe:4: storage/ imports crawler.links.urls.canonical (crawler/ is above it)",
    ]
    assert violations("storage.probe", "import spiders.base\n") == [
        "storage.probe:1: storage/ imports spiders.base (spiders/ is above it)"]


def test_the_check_catches_relative_and_dev_imports() -> None:
    assert violations("crawler.service.probe", PROBE.format("..dev.mirror", "Mirror")) == [
        "crawler.service.probe:4: runtime module imports dev tooling crawler.dev.mirror",
        "crawler.service.probe:4: runtime module imports dev tooling crawler.dev.mirror.Mirror",
    ]
    assert violations("crawler.components.probe", "from spiders import base\n") == [
        "crawler.components.probe:1: crawler/ imports spiders (spiders/ is above it)",
        "crawler.components.probe:1: crawler/ imports spiders.base (spiders/ is above it)",
    ]
    assert violations("spiders.probe", "from storage.db import now_iso\n") == []


# Settings flow one way: only the settings module and the command-line front ends (the CLI and
# the dev tools' `python -m` entry points) read the environment; the rest is passed down.
MAY_READ_ENV = ("crawler.settings", "crawler.cli", "crawler.dev")


def env_reads(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb") \
                and isinstance(node.value, ast.Name) and node.value.id == "os":
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os" and \
                any(a.name in ("environ", "getenv", "environb") for a in node.names):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_settings_and_cli_read_the_environment(path: Path) -> None:
    name = module_name(path)
    if any(within(name, p) for p in MAY_READ_ENV):
        return
    assert env_reads(path.read_text(encoding="utf-8")) == [], \
        f"{name} reads the environment: make it a setting or an option passed down"


def test_the_environment_check_sees_reads() -> None:
    assert env_reads("import os\nx = os.environ.get('A')\n") == [2]
    assert env_reads("from os import getenv\n") == [1]
    assert env_reads("import os\nx = os.getpid()\n") == []


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_over_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def _readme_layout() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


def test_readme_layout_matches_the_tree() -> None:
    layout = _readme_layout()
    missing = [f"crawler/{p.name}/" for p in sorted((ROOT / "crawler").iterdir())
               if (p / "__init__.py").exists() and f"{p.name}/" not in layout]
    # The rooms whose every module the layout names, and storage's modules.
    for room in ("crawler/components", "crawler/config", "crawler/links", "crawler/service",
                 "storage"):
        missing += [f"{room}/{p.name}" for p in sorted((ROOT / room).glob("*.py"))
                    if p.name != "__init__.py" and p.name not in layout]
    missing += [f"crawler/{p.name}" for p in sorted((ROOT / "crawler").glob("*.py"))
                if p.name != "__init__.py" and p.name not in layout]
    assert missing == [], "README's Layout section does not name these"
