"""Forms of the problems app: parsing and field validation only."""
