"""One module per concept."""
