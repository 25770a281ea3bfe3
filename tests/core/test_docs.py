"""Docs tested against the code: every KOTACERDAS_* setting is documented; the README's commands exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _settings_variables() -> set[str]:
    source = (ROOT / "src/kotacerdas/settings.py").read_text()
    return set(re.findall(r'env(?:_flag)?\("([A-Z_]+)"', source))


def test_every_setting_is_in_the_operations_guide() -> None:
    guide = (ROOT / "docs/operations.md").read_text()
    documented = set(re.findall(r"`(?:KOTACERDAS)?_([A-Z][A-Z_]*)`", guide))  # `KOTACERDAS_X` and `_X`
    missing = {v for v in _settings_variables() if v not in documented}
    assert not missing, f"document these in docs/operations.md: {sorted(missing)}"


def test_readme_commands_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    assert "scripts/demo" in readme and "scripts/test" in readme
    assert (ROOT / "scripts/demo").exists() and (ROOT / "scripts/test").exists()
    assert "scripts/test" in (ROOT / ".ci/run").read_text()
