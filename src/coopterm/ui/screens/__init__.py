"""One module per screen; screens call the domain layer and never build SQL."""
