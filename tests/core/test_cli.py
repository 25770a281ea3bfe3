"""The kotacerdas command: every subcommand's --help shows an example."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kotacerdas.cli import main


@pytest.mark.parametrize("args", [[], *([name] for name in main.commands)])
def test_help_shows_an_example(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
