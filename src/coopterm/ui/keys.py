"""Key bindings whose labels follow the user's language.

Textual reads ``BINDINGS`` when a class is defined, before ``--lang`` or the
config file are known, so bindings are declared with message keys
(``"key.quit"``) and translated when each screen or app instance is created.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from coopterm.i18n import t


def translate_bindings(node: DOMNode) -> None:
    bindings = node._bindings.key_to_bindings  # noqa: SLF001 (Textual keeps them here)
    for key, items in bindings.items():
        bindings[key] = [
            replace(b, description=t(b.description)) if b.description.startswith("key.") else b
            for b in items
        ]


class TranslatedBindings:
    """Mixin: translate this node's binding labels when it is created."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        translate_bindings(self)  # type: ignore[arg-type]


_KEY_NAMES = {"escape": "keyname.escape", "enter": "keyname.enter", "delete": "keyname.delete",
              "space": "keyname.space", "tab": "keyname.tab"}
_SYMBOLS = {"question_mark": "?", "slash": "/", "plus": "+", "minus": "-", "greater_than_sign": ">",
            "less_than_sign": "<"}


def key_display(key: str) -> str:
    """How a key is written for the user: "Ctrl+S", "Échap", "?"."""
    parts = key.split("+")
    last = parts[-1]
    if last in _KEY_NAMES:
        last = t(_KEY_NAMES[last])
    else:
        last = _SYMBOLS.get(last, last.upper() if len(last) == 1 and parts[:-1] else last)
    return "+".join([p.capitalize() for p in parts[:-1]] + [last])
