"""Queries and rules of the plan as plain functions over a session.

Screens and commands call these; none of them builds SQL of its own.  Each rule is
written once.  One is written as two queries, on purpose: the action tally (proposed,
done, multilateral) is counted over a whole plan by ``indicators.tally_actions``
(town counts grouped once, the fastest shape for the dashboard's gauges) and over a
few actions by ``actions.tally_where`` (a count per action, the fastest shape for one
saved row); ``tests/test_rules_once.py`` proves they agree.  An action's being open
or closed, and its next status, are ``coopterm.vocabulary``'s.
"""
