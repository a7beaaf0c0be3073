"""One module per screen.  The lists of records (actions, meetings, pilots, funding) are
written on one skeleton, ``record_list``; screens reach the data through the workspace
(``app.data``) and never build SQL; their forms live in ``coopterm.ui.forms``."""
