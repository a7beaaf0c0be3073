"""Every message exists in French and English, with the same placeholders."""

import re
import string
from pathlib import Path

import pytest

from coopterm import present
from coopterm.domain.indicators import COMPUTED_KEYS, Status
from coopterm.domain.plans import PlanCounts
from coopterm.i18n import (
    LANGUAGES,
    catalog,
    language_from_environment,
    plural_catalog,
    set_language,
    t,
    tn,
)

SRC = Path(__file__).parents[2] / "src" / "coopterm"
KEY_CALL = re.compile(r"""\b(?:t|CooptermError|DatabaseRefused|InvalidInput)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")
COUNTED_CALL = re.compile(r"""\btn\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_have_the_same_keys_and_placeholders():
    fr, en = catalog("fr"), catalog("en")
    assert sorted(set(fr) ^ set(en)) == []
    for key in en:
        assert placeholders(fr[key]) == placeholders(en[key]), key
        assert fr[key].strip() and en[key].strip(), key


def test_counted_messages_have_the_same_keys_forms_and_placeholders():
    """Each counted message has an "other" form and only the forms its language's plural
    rules name; every form of both languages holds the same placeholders, ``{count}`` among them."""
    from babel import Locale

    fr, en = plural_catalog("fr"), plural_catalog("en")
    assert sorted(set(fr) ^ set(en)) == []
    assert not set(fr) & set(catalog("fr")), "a key is either plain or counted"
    for key in en:
        forms = {lang: plural_catalog(lang)[key] for lang in LANGUAGES}
        expected = placeholders(en[key]["other"])
        assert "count" in expected, key
        for lang, texts in forms.items():
            allowed = set(Locale.parse(lang).plural_form.tags) | {"other"}
            assert "other" in texts and set(texts) <= allowed, (lang, key)
            for form, text in texts.items():
                assert text.strip() and placeholders(text) == expected, (lang, key, form)


def used_keys() -> set[str]:
    keys = set()
    for path in SRC.rglob("*.py"):
        keys |= set(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    keys |= {f"indicator.{k}" for k in COMPUTED_KEYS}
    keys |= {f"indicator_status.{s.value}" for s in Status}
    keys |= {f"status.count.{k}" for k in PlanCounts.__dataclass_fields__}
    return keys


def test_the_key_scanner_finds_keys():
    assert {"db.empty", "export.exists", "cli.no_plan"} <= used_keys()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_the_code_uses_is_translated(lang):
    missing = sorted(k for k in used_keys() if k not in catalog(lang))
    assert missing == []


def used_counted_keys() -> set[str]:
    keys = set()
    for path in SRC.rglob("*.py"):
        keys |= set(COUNTED_CALL.findall(path.read_text(encoding="utf-8")))
    return keys


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_counted_message_the_code_uses_is_translated(lang):
    keys = used_counted_keys()
    assert {"panel.actions", "report.days", "report.meetings_count"} <= keys
    assert sorted(k for k in keys if k not in plural_catalog(lang)) == []


def test_a_counted_message_takes_the_form_of_its_count_in_each_language():
    set_language("fr")
    assert [tn("panel.actions", n) for n in (0, 1, 2)] == ["0 action", "1 action", "2 actions"]
    assert tn("panel.actions", 1234) == "1\u202f234 actions"
    assert tn("report.days", 1_000_000) == "1\u202f000\u202f000 jours"  # French "many" falls back to "other"
    set_language("en")
    assert [tn("panel.actions", n) for n in (0, 1, 2)] == ["0 actions", "1 action", "2 actions"]
    assert tn("panel.actions", 1234) == "1,234 actions"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LANG": "fr_CH.UTF-8"}, "fr"),
        ({"LANG": "de_CH.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "en_GB.UTF-8"}, "en"),
        ({"LC_MESSAGES": "fr_BE", "LANG": "C"}, "fr"),
        ({}, "en"),
    ],
)
def test_language_follows_the_locale(env, expected):
    assert language_from_environment(env) == expected


def test_numbers_read_the_way_each_language_writes_them():
    set_language("fr")
    assert present.number(1234.56, 1) == "1\u202f234,6"
    assert t("db.empty", path="x").startswith("x est un fichier vide")
    set_language("en")
    assert present.number(1234.56, 1) == "1,234.6"


def test_every_key_label_palette_entry_and_screen_title_is_translated():
    """Bindings and palette entries name their messages by key; check those keys too."""
    import importlib
    import pkgutil

    from textual.dom import DOMNode

    import coopterm.ui.screens as screens_pkg
    from coopterm.ui import app as app_module

    for info in pkgutil.iter_modules(screens_pkg.__path__):
        importlib.import_module(f"coopterm.ui.screens.{info.name}")
    classes = {app_module.CooptermApp}
    stack = list(DOMNode.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("coopterm."):
            classes.add(cls)
    keys = set()
    for cls in classes:
        for binding in getattr(cls, "BINDINGS", []):
            description = binding.description if hasattr(binding, "description") else binding[2]
            if description.startswith("key."):
                keys.add(description)
        for title_key, help_key, _action in getattr(cls, "PALETTE", []):
            keys |= {title_key, help_key}
        for attr in ("TITLE_KEY",):
            if getattr(cls, attr, ""):
                keys.add(getattr(cls, attr))
    assert len(keys) > 30
    for lang in LANGUAGES:
        assert sorted(k for k in keys if k not in catalog(lang)) == []
