"""Queries and rules of the plan as plain functions over a session.

Screens and commands call these; none of them builds SQL of its own.  Each rule
(what counts as proposed, multilateral, on track...) lives in exactly one place.
"""
