"""Preferences: remembered, hand-editable, never clobbered when unreadable."""

from coopterm.config import Config, load_config, save_config


def test_missing_file_gives_defaults(tmp_path):
    config = load_config(tmp_path / "config.toml")
    assert (config.theme, config.lang, config.problem) == (None, None, None)


def test_saved_preferences_read_back(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    assert save_config(Config(theme="gruvbox", lang="fr", path=path))
    again = load_config(path)
    assert (again.theme, again.lang) == ("gruvbox", "fr")
    assert 'theme = "gruvbox"' in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]


def test_unreadable_file_is_reported_and_never_overwritten(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("theme = [unclosed\n", encoding="utf-8")
    config = load_config(path)
    assert config.problem and not config.writable
    assert not save_config(config.with_changes(theme="nord"))
    assert path.read_text(encoding="utf-8") == "theme = [unclosed\n"


def test_unknown_language_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('lang = "de"\n', encoding="utf-8")
    assert load_config(path).problem == "lang"


def test_environment_variable_points_to_the_file(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere.toml"
    path.write_text('lang = "fr"\n', encoding="utf-8")
    monkeypatch.setenv("COOPTERM_CONFIG", str(path))
    assert load_config().lang == "fr"


def test_config_language_applies_to_the_command_line(tmp_path, monkeypatch, capsys):
    from coopterm import cli

    path = tmp_path / "config.toml"
    path.write_text('lang = "fr"\n', encoding="utf-8")
    monkeypatch.setenv("COOPTERM_CONFIG", str(path))
    assert cli.main(["status", "--db", str(tmp_path / "none.db")]) == 1
    assert "il n'y a pas de base" in capsys.readouterr().err
    assert cli.main(["--lang", "en", "status", "--db", str(tmp_path / "none.db")]) == 1
    assert "there is no database" in capsys.readouterr().err
