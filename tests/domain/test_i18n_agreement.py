"""French that agrees: no "(s)" or "(e)" left in a message, "d'" before a vowel, and the
history's past participles in the gender of what they name."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from coopterm.domain.history import HistoryEntry, headline
from coopterm.i18n import LANGUAGES, catalog, plural_catalog, set_language, t

HEDGED = re.compile(r"\w\((s|e|es|x)\)")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_hedges_between_singular_and_plural_or_gender(lang):
    texts = dict(catalog(lang))
    texts |= {f"{key}.{form}": text for key, forms in plural_catalog(lang).items() for form, text in forms.items()}
    assert sorted(key for key, text in texts.items() if HEDGED.search(text)) == []


def test_de_is_elided_before_a_vowel_in_french_only():
    set_language("fr")
    assert t("person.choose_replacement", name="Adel Janeb") == "Qui reprend les fiches-actions d'Adel Janeb ?"
    assert t("person.choose_replacement", name="Éloïse") == "Qui reprend les fiches-actions d'Éloïse ?"
    assert t("person.choose_replacement", name="Gilles Chabré") == "Qui reprend les fiches-actions de Gilles Chabré ?"
    assert t("funding.delete_question", funder="Union européenne", amount="1 000 €", year=2020).startswith(
        "Supprimer la contribution d'Union européenne (")
    set_language("en")
    assert "of Adel Janeb" in t("person.choose_replacement", name="Adel Janeb")


def entry(op: str, table: str, label: str) -> HistoryEntry:
    return HistoryEntry(uuid.uuid4(), dt.datetime(2021, 6, 1, tzinfo=dt.timezone.utc), op, table, uuid.uuid4(),
                        label, "this copy", ())


def test_history_participles_agree_with_the_table_in_french():
    set_language("fr")
    assert headline(entry("create", "action", "T.1 Structurer")) == "Fiche-action T.1 Structurer créée"
    assert headline(entry("update", "meeting", "Forum")) == "Réunion Forum modifiée"
    assert headline(entry("delete", "challenge", "2 Renforcer")) == "Défi 2 Renforcer supprimé"
    assert headline(entry("restore", "person", "Adel Janeb")) == "Personne Adel Janeb rétablie"
    assert headline(entry("create", "action_town", "T.1 ↔ Sierre"), "T.1") == "Ville ajoutée : Sierre"
    assert headline(entry("delete", "action_pilot", "T.1 ↔ Adel Janeb"), "T.1") == "Pilote retiré : Adel Janeb"
    set_language("en")
    assert headline(entry("create", "action", "T.1 Structurer")) == "Action T.1 Structurer created"
    assert headline(entry("create", "action_town", "T.1 ↔ Sierre"), "T.1") == "Town added: Sierre"
