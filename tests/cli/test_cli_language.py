"""argparse's own words (usage, options, its error messages) follow the user's language."""

from __future__ import annotations

import pytest

from tests.cli.test_cli import run

ENGLISH = ("usage:", "positional arguments", "show this help message and exit")


@pytest.fixture
def no_config(tmp_path) -> dict[str, str]:
    return {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}


def test_help_in_french_with_lang(no_config):
    result = run("--lang", "fr", "--help", env=no_config)
    assert result.returncode == 0
    assert result.stdout.startswith("utilisation : coopterm")
    assert "arguments positionnels" in result.stdout
    assert "-h, --help      afficher cette aide et quitter" in result.stdout
    assert not [word for word in ENGLISH if word in result.stdout], result.stdout


def test_help_of_a_command_in_french_from_the_locale(no_config):
    result = run("report", "--help", env=no_config, lang="fr_FR.UTF-8")
    assert result.returncode == 0
    assert result.stdout.startswith("utilisation : coopterm report")
    assert not [word for word in ENGLISH if word in result.stdout], result.stdout


def test_help_stays_english_in_english(no_config):
    result = run("--help", env=no_config)
    assert result.stdout.startswith("usage: coopterm")
    assert "show this help message and exit" in result.stdout


def test_argparse_errors_in_french(no_config):
    result = run("--lang", "fr", "status", "--bogus", env=no_config)
    assert result.returncode == 2
    assert result.stderr.startswith("utilisation : coopterm")
    assert "arguments non reconnus : --bogus" in result.stderr
    result = run("--lang", "fr", "report", "--format", "pdf", env=no_config)
    assert "argument --format : choix invalide : 'pdf'" in result.stderr, result.stderr
