"""Tests of the widgets, each on its own in a small app."""
