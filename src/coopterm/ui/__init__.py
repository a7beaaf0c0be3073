"""What the user sees: the Textual app, and the rich output of the command line."""
