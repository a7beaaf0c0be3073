"""Tests of what must survive: crashes, concurrent writers, old and broken files, hostile text."""
