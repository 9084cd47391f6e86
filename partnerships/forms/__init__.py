"""Forms of the partnerships app, one module per concept: parsing and field validation only."""
