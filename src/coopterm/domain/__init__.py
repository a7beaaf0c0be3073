"""Queries and rules of the plan as plain functions over a session.

Screens and commands call these; none of them builds SQL of its own.  A rule is
written once where it can be, but not always: the action tally (proposed, done,
multilateral) is counted over a whole plan by ``indicators.tally_actions`` and over
a few actions by ``actions.tally_where``.  An action's being open or closed, and
its next status, are ``coopterm.vocabulary``'s.
"""
