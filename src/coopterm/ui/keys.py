"""Key bindings as data: stable ids, labels in the user's language, keys users may remap.

Every ``Binding`` in the app has an ``id`` ("actions.filter", "form.save"…): dotted,
lower case, the part before the dot naming where the key works ("app" everywhere,
"form" in every form, "table" in every table).  The README lists them.

Labels.  Textual reads ``BINDINGS`` when a class is defined, before ``--lang`` or
the config file are known, so bindings are declared with message keys
(``"key.quit"``).  They are translated where Textual shows them: the footer (and
Textual's key panel) read the public ``Screen.active_bindings``, which
:class:`TranslatedBindings` overrides to give each label in the current language;
the keys help (``?``) builds its rows from the classes' ``BINDINGS`` with
:func:`effective_bindings`, so it shows the keys in effect after remapping.  Textual's
own bindings ("Focus Next"…) are translated by their action, and keys are written in the
user's language ("Suppr", "Échap", "=" rather than Textual's "equals_sign").

Width.  The footer keeps the screen numbers, ``?`` and ``q`` at every width and gives the
screen's own keys what room is left (:func:`fit_footer`).

Remapping.  The ``[keys]`` table of ``config.toml`` maps ids to keys; the app
checks it with :func:`check_keymap` and gives what is sound to Textual's
``App.set_keymap``.  An unknown id, a key Textual would never send, or a key
already used on the same screen is reported in plain words and left out; the
other entries still apply.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from rich.cells import cell_len
from textual.app import App
from textual.binding import ActiveBinding, Binding, InvalidBinding
from textual.dom import DOMNode
from textual.keys import Keys, format_key
from textual.screen import ModalScreen, Screen

from coopterm.i18n import t

_TEXTUAL_LABELS = {"app.focus_next": "key.focus_next", "app.focus_previous": "key.focus_previous",
                   "screen.copy_text": "key.copy_text", "quit": "key.quit", "app.quit": "key.quit",
                   "app.command_palette": "key.palette_short", "command_palette": "key.palette_short"}
"""Textual's own bindings (written in English in Textual) -> our message keys, by action."""


def translated(binding: Binding) -> Binding:
    """The binding with its label in the user's language (labels are message keys "key.…";
    Textual's own bindings, "Focus Next" and the like, are known by their action)."""
    if binding.description.startswith("key."):
        return replace(binding, description=t(binding.description))
    if binding.action in _TEXTUAL_LABELS and binding.description:
        return replace(binding, description=t(_TEXTUAL_LABELS[binding.action]))
    return binding


SCREEN_KEYS = ("app.show_dashboard", "app.show_challenges", "app.show_actions", "app.show_pilots",
               "app.show_meetings", "app.show_funding", "app.show_plans")
"""The screen numbers: the footer keeps them, ``?`` and ``q`` at every width."""
_ALWAYS = (*SCREEN_KEYS, "app.help", "app.quit")


def _footer_width(key: str, label: str) -> int:
    """Cells a key takes in the compact footer: the key, a space and its label, then a space."""
    return cell_len(key) + (1 + cell_len(label) if label else 0) + 1


_FIRST = ("new", "edit", "delete")
"""What a row list is for: these keys are the last a narrow footer gives up."""


def _rank(binding: Binding) -> int:
    verb = (binding.id or "").rpartition(".")[2]
    return _FIRST.index(verb) if verb in _FIRST else len(_FIRST)


def fit_footer(bindings: dict[str, ActiveBinding], width: int,
               display: Callable[[Binding], str]) -> dict[str, ActiveBinding]:
    """The footer's bindings for a terminal ``width`` cells wide: the screen numbers, ``?`` and
    ``q`` always, the screen's own keys as far as they fit.

    Tried in turn, the first that shows every key: full labels; short screen names
    ("Fiches" for "Fiches-actions", ``key.<name>.short``); screen numbers alone ("1 2 3…",
    each screen's name is its title).  At the last, the screen's keys that do not fit are
    hidden from the footer (``show=False``), not unbound: ``?`` lists every key.  New, edit
    and delete are kept first; the others in their order on the screen.
    """
    palette = [a for a in bindings.values() if a.binding.action in {"command_palette", "app.command_palette"}]
    budget = width - sum(_footer_width(display(a.binding), a.binding.description) + 1 for a in palette)
    shown = {key: a for key, a in bindings.items() if a.binding.show and a not in palette}
    own = {key: a for key, a in shown.items() if a.binding.id not in _ALWAYS}
    actions_seen: set[str] = set()
    own_widths: dict[str, int] = {}
    for key, active in own.items():  # Textual shows one key per action ("+" for "+" and "=")
        if active.binding.action not in actions_seen:
            actions_seen.add(active.binding.action)
            own_widths[key] = _footer_width(display(active.binding), active.binding.description)

    def labelled(style: str) -> dict[str, Binding]:
        result = {}
        for key, active in shown.items():
            binding = active.binding
            if binding.id not in _ALWAYS:
                continue
            if binding.id in SCREEN_KEYS and style == "numbers":
                binding = replace(binding, description="")
            elif style != "full":
                binding = replace(binding, description=t(f"{binding.id}.short"))
            result[key] = binding
        return result

    fitted: dict[str, Binding] = {}
    for style in ("full", "short", "numbers"):
        fitted = labelled(style)
        used = sum(_footer_width(display(b), b.description) for b in fitted.values())
        if used + sum(own_widths.values()) <= budget + 1:  # the last key needs no space after it
            kept = set(own_widths)
            break
    else:
        kept = set()
        for key, cells in sorted(own_widths.items(), key=lambda item: _rank(own[item[0]].binding)):
            if used + cells <= budget + 1:
                kept.add(key)
                used += cells
    result = {}
    for key, active in bindings.items():
        if key in fitted:
            result[key] = active._replace(binding=fitted[key])
        elif key in own and key not in kept and active.binding.action not in {
                own[k].binding.action for k in kept}:
            result[key] = active._replace(binding=replace(active.binding, show=False))
        else:
            result[key] = active
    return result


class TranslatedBindings:
    """Mixin for screens: the footer and key panel show every label in the user's language,
    and the footer fits the terminal's width.

    Textual's ``Footer`` and ``KeyPanel`` read ``Screen.active_bindings``; the labels are
    translated there, each time, so nothing of Textual's own state is touched.  The
    footer is made compact when the screen mounts, and redrawn when the terminal is
    resized (the keys it shows depend on the width, see :func:`fit_footer`).
    """

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        bindings = {
            key: ActiveBinding(active.node, translated(active.binding), active.enabled, active.tooltip)
            for key, active in super().active_bindings.items()  # type: ignore[misc]  # a mixin: the Screen or App beside it has them
        }
        app = self.app  # type: ignore[attr-defined]  # a mixin: its screen has ``app``
        return fit_footer(bindings, app.size.width, app.get_key_display)

    def on_mount(self) -> object:  # object: a form's own on_mount may be async
        # Textual calls every class's on_mount down the MRO: this one too, beside the screen's.
        from textual.widgets import Footer

        for footer in self.query(Footer):  # type: ignore[attr-defined]  # a mixin: its screen has ``query``
            footer.compact = True
        return None

    def on_resize(self) -> None:
        self.refresh_bindings()  # type: ignore[attr-defined]  # a mixin: its screen has it


_KEY_NAMES = {"escape": "keyname.escape", "enter": "keyname.enter", "delete": "keyname.delete",
              "space": "keyname.space", "tab": "keyname.tab", "backspace": "keyname.backspace",
              "up": "keyname.up", "down": "keyname.down", "left": "keyname.left", "right": "keyname.right"}
_SYMBOLS = {"question_mark": "?", "slash": "/", "plus": "+", "minus": "-", "greater_than_sign": ">",
            "less_than_sign": "<", "equals_sign": "="}


def key_display(key: str) -> str:
    """How a key is written for the user: "Ctrl+S", "Échap", "?", "=" (never Textual's
    names such as "equals_sign")."""
    parts = key.split("+")
    last = parts[-1]
    if last in _KEY_NAMES:
        last = t(_KEY_NAMES[last])
    elif last in _SYMBOLS:
        last = _SYMBOLS[last]
    elif len(last) == 1:
        last = last.upper() if parts[:-1] else last
    else:
        last = format_key(last)  # "full_stop" -> "."; a name Textual cannot turn into a character stays
    return "+".join([p.capitalize() for p in parts[:-1]] + [last])


def footer_key_display(binding: Binding) -> str:
    """A key as the footer writes it: short ("^p" for Ctrl+P), in the user's language ("Suppr")."""
    if binding.key_display:
        return binding.key_display
    *modifiers, last = binding.key.split("+")
    shown = key_display(last)
    if modifiers == ["ctrl"]:
        return f"^{shown.lower()}"
    return key_display(binding.key)


# --- bindings of a class, as Textual merges them -------------------------------------------


def declared_bindings(cls: type[DOMNode]) -> dict[str, list[Binding]]:
    """Key -> bindings of ``cls``: its ``BINDINGS`` over its bases', as Textual merges them
    (a class's bindings for a key replace its bases' for that key)."""
    keys: dict[str, list[Binding]] = {}
    for base in reversed(cls.__mro__):
        if issubclass(base, DOMNode):
            merged: dict[str, list[Binding]] = {}
            for binding in Binding.make_bindings(base.__dict__.get("BINDINGS", [])):
                merged.setdefault(binding.key, []).append(binding)
            keys.update(merged)
    return keys


def effective_bindings(cls: type[DOMNode], keymap: dict[str, str]) -> list[tuple[str, Binding]]:
    """(key, binding) of ``cls`` once ``keymap`` (id -> "key,key") is applied, in declaration order."""
    rows: list[tuple[str, Binding]] = []
    remapped: set[str] = set()
    for key, bindings in declared_bindings(cls).items():
        for binding in bindings:
            if binding.id and binding.id in keymap:
                if binding.id not in remapped:
                    remapped.add(binding.id)
                    rows += [(new, binding.with_key(new)) for new in keymap[binding.id].split(",")]
            else:
                rows.append((key, binding))
    return rows


# --- every binding of the app ---------------------------------------------------------------


def binding_classes(app_class: type[App] | None = None) -> list[type[DOMNode]]:
    """The app class and every screen, form and widget class of coopterm (importing them all)."""
    if app_class is None:
        from coopterm.ui.app import CooptermApp  # imported here: the app imports this module

        app_class = CooptermApp
    classes: list[type[DOMNode]] = [app_class]
    for package in ("coopterm.ui.screens", "coopterm.ui.forms", "coopterm.ui.widgets"):
        for module_info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{module_info.name}")
            classes += [obj for obj in vars(module).values()
                        if inspect.isclass(obj) and issubclass(obj, DOMNode) and obj.__module__ == module.__name__]
    return classes


def declared(classes: list[type[DOMNode]]) -> list[tuple[type[DOMNode], Binding]]:
    """Every ``Binding`` written in these classes' own ``BINDINGS``, with its class."""
    return [(cls, binding) for cls in classes for binding in cls.__dict__.get("BINDINGS", [])
            if isinstance(binding, Binding)]


# --- the [keys] table -------------------------------------------------------------------------

_MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")
_NAMED_KEYS = {key.value for key in Keys if not key.value.startswith("<") and "+" not in key.value}


def _single(character: str) -> str:
    """Textual's name for a key typed as one character ("?" -> "question_mark")."""
    return next(iter(Binding.make_bindings([Binding(character, "")]))).key


_CHARACTER_NAMES = {_single(c) for c in string.punctuation if c != ","} | {"comma"}


def normalize_key(text: str) -> str | None:
    """``text`` as Textual names the key ("?" -> "question_mark", "Ctrl+S" -> "ctrl+s"),
    or ``None`` when Textual would never send such a key."""
    text = text.strip()
    if text.count("+") and text.endswith("+"):
        return None
    *modifiers, last = text.split("+")
    modifiers = [modifier.strip().lower() for modifier in modifiers]
    last = last.strip()
    if any(m not in _MODIFIERS for m in modifiers) or len(set(modifiers)) < len(modifiers):
        return None
    if len(last) == 1:
        if not last.isprintable() or last.isspace() or last == ",":
            return None
        try:
            last = _single(last.lower() if modifiers else last)  # Textual sends "ctrl+s", never "ctrl+S"
        except InvalidBinding:
            return None
    elif last.lower() in _NAMED_KEYS or last.lower() in _CHARACTER_NAMES:
        last = last.lower()
    else:
        try:
            character = unicodedata.lookup(last.replace("_", " "))
        except KeyError:
            return None
        if _single(character) != last.lower():
            return None
        last = last.lower()
    return "+".join([*modifiers, last])


def normalize_keys(value: object) -> str | None:
    """A ``[keys]`` value ("f", "f,g" or ["f", "g"]) as Textual's "f,g"; ``None`` if unreadable."""
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        items = value
    elif isinstance(value, str):
        items = value.split(",")
    else:
        return None
    keys = [normalize_key(item) for item in items]
    if not keys or None in keys:
        return None
    return ",".join(dict.fromkeys(key for key in keys if key is not None))


@dataclass(frozen=True)
class KeyProblem:
    """One ``[keys]`` entry left out, and why ("unknown", "unreadable" or "clash")."""

    kind: str
    id: str
    key: str
    other: str = ""

    def message(self) -> str:
        return t(f"config.key_{self.kind}", id=self.id, key=self.key, other=self.other)


def _written(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _contexts(classes: list[type[DOMNode]]) -> list[list[type[DOMNode]]]:
    """The groups of classes whose keys are live together: a full screen with the app's
    keys, a modal screen or a widget on its own."""
    apps = [cls for cls in classes if issubclass(cls, App)]
    groups = []
    for cls in classes:
        if issubclass(cls, App):
            continue
        if issubclass(cls, Screen) and not issubclass(cls, ModalScreen):
            groups.append([cls, *apps])
        else:
            groups.append([cls])
    return groups


def _first_clash(groups: list[list[type[DOMNode]]], keymap: dict[str, str],
                 order: list[str]) -> KeyProblem | None:
    for group in groups:
        users: dict[str, list[Binding]] = {}
        defaults: dict[str | None, set[str]] = {}
        for cls in group:
            for key, binding in effective_bindings(cls, keymap):
                users.setdefault(key, []).append(binding)
            if issubclass(cls, App) and cls.ENABLE_COMMAND_PALETTE:  # Textual binds it to each app
                palette = Binding(cls.COMMAND_PALETTE_BINDING, "command_palette", "key.palette")
                users.setdefault(palette.key, []).append(palette)
            for key, binding in effective_bindings(cls, {}):
                defaults.setdefault(binding.id, set()).add(key)
        for key, bindings in users.items():
            remapped = [b for b in bindings if b.id in keymap]
            for binding in sorted(remapped, key=lambda b: -order.index(str(b.id))):  # remapped: an id each
                others = [b for b in bindings if b.id != binding.id]
                if key in defaults[binding.id] and not any(o.id in keymap for o in others):
                    continue  # given its own key again: shared as it was by default
                if others:
                    other = others[0]
                    return KeyProblem("clash", str(binding.id), key_display(key),
                                      other.id or translated(other).description or other.action)
    return None


def check_keymap(entries: dict[str, object],
                 classes: list[type[DOMNode]] | None = None) -> tuple[dict[str, str], list[KeyProblem]]:
    """The sound part of the ``[keys]`` table as a Textual keymap (id -> "key,key"), and
    what was left out, in the order written."""
    classes = classes if classes is not None else binding_classes()
    known = {binding.id for cls in classes for bindings in declared_bindings(cls).values()
             for binding in bindings if binding.id}
    problems: list[KeyProblem] = []
    keymap: dict[str, str] = {}
    for binding_id, value in entries.items():
        if binding_id not in known:
            problems.append(KeyProblem("unknown", binding_id, _written(value)))
            continue
        keys = normalize_keys(value)
        if keys is None:
            problems.append(KeyProblem("unreadable", binding_id, _written(value)))
            continue
        keymap[binding_id] = keys
    order = list(keymap)
    groups = _contexts(classes)
    while (clash := _first_clash(groups, keymap, order)) is not None:
        del keymap[clash.id]
        problems.append(clash)
    return keymap, problems
