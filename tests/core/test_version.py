"""``bekwaam --version`` prints the installed version, without building the app or touching a database."""
from click.testing import CliRunner

from core import __version__
from core.cli import cli


def test_version(monkeypatch):
    monkeypatch.setenv("BEKWAAM_DATABASE_URL", "not a url")  # would stop the app: --version never builds it
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output == f"bekwaam {__version__}\n"
