"""Reads that cross relations or filter by permission, one module per concept."""
