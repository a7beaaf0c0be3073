"""Tests of the domain layer: rules and queries as plain functions over a session."""
