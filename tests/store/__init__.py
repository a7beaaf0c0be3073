"""Tests of the store: the SQLite file, its migrations, exports and merges."""
