"""SARA/OSARA problem records, objectives, actions, decision log, reviews and shares (to come)."""
