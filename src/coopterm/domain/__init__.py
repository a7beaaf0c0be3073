"""Queries and rules of the plan as plain functions over a session.

Screens and commands call these; none of them builds SQL of its own.  Each rule is
written once: the action tally (proposed, done, multilateral) is
``indicators.tally_where``, over a whole plan (``tally_actions``) or a few actions;
the satisfaction formula is ``indicators.satisfaction_rate``, for the plan and for
one meeting; an action's label in a picker is ``numbering.action_label``; an
action's being open or closed, and its next status, are ``coopterm.vocabulary``'s;
UTC times and the start of a day are ``coopterm.clock``'s.
"""
