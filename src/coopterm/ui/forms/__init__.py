"""The app's forms, one per file, on one base (``base.FormScreen``).

A form lays out its fields with ``FormScreen.field`` and says which workspace call
saves it (``persist``); the base collects every field the same way, by the kind of
widget it is, cleans what was typed, and shows a refusal next to its fields.
"""
