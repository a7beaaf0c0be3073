"""Tests of the Textual app, driven through its pilot as a person uses it."""
