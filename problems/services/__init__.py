"""Every write in the problems app, one module per concept (acting user first, audited)."""
