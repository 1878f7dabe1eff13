"""The core stays plain Python: no click, rich, Django, nianbao.cli or nianbao.web, and no reading
of the environment.  Settings come in a ``nianbao.settings.Settings``; only ``cli/`` and ``web/``
(and ``python -m nianbao``, which is the command line) resolve them from ``os.environ``.

Every core module is parsed (never imported) and each offending line is named.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "nianbao"
OUTER = ("cli", "web")  # the layers allowed to talk to people and to the environment
FORBIDDEN_PACKAGES = ("click", "rich", "django", "nianbao.cli", "nianbao.web")
ENVIRONMENT = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def core_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in OUTER and path.name != "__main__.py"
    )


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module an ``from … import`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    # a package's own module is its __init__: one level up is the package itself
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join([*base, node.module] if node.module else base)


def _forbidden(name: str) -> bool:
    return any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN_PACKAGES)


def violations(path: Path) -> list[str]:
    """``module:line: what`` for each forbidden import or read of the environment."""
    module = module_name(path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    os_names = set()  # names bound to the os module (import os, import os as _os)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _forbidden(alias.name):
                    found.append((node.lineno, f"imports {alias.name}"))
                if alias.name == "os":
                    os_names.add(alias.asname or "os")
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(node, module, is_package)
            for alias in node.names:
                target = f"{source}.{alias.name}" if source else alias.name
                if _forbidden(source) or _forbidden(target):
                    found.append((node.lineno, f"imports {target}"))
                if source == "os" and alias.name in ENVIRONMENT:
                    found.append((node.lineno, f"reads the environment (from os import {alias.name})"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ENVIRONMENT
            and isinstance(node.value, ast.Name)
            and node.value.id in os_names
        ):
            found.append((node.lineno, f"reads the environment ({node.value.id}.{node.attr})"))
    return [f"{module}:{line}: {what}" for line, what in sorted(set(found))]


@pytest.mark.parametrize("path", [pytest.param(path, id=module_name(path)) for path in core_modules()])
def test_core_module_stays_in_the_core(path: Path) -> None:
    problems = violations(path)
    assert not problems, "the core must not do this (see docs/architecture.md):\n" + "\n".join(problems)


def test_the_walk_finds_what_it_must(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each kind of offence is caught and named with its line; plain code passes."""
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "nianbao")
    sample = tmp_path / "nianbao" / "readers" / "__init__.py"
    sample.parent.mkdir(parents=True)
    sample.write_text(
        "import os as system\n"
        "import rich.console\n"
        "from click import echo\n"
        "from .. import cli\n"
        "from ..web.store import models\n"
        "from os import getenv\n"
        "LIMIT = system.environ.get('X')\n"
        "from . import text\n"
        "from ..settings import Settings\n",
        encoding="utf-8",
    )
    assert violations(sample) == [
        "nianbao.readers:2: imports rich.console",
        "nianbao.readers:3: imports click.echo",
        "nianbao.readers:4: imports nianbao.cli",
        "nianbao.readers:5: imports nianbao.web.store.models",
        "nianbao.readers:6: reads the environment (from os import getenv)",
        "nianbao.readers:7: reads the environment (system.environ)",
    ]
    plain = tmp_path / "nianbao" / "readers" / "text.py"
    plain.write_text("import os\nfrom . import decode\nfrom ..errors import InputError\nos.path.join('a')\n")
    assert violations(plain) == []
    assert [module_name(p) for p in core_modules()] == ["nianbao.readers", "nianbao.readers.text"]
