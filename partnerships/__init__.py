"""Organisations (police forces and partner agencies); later contacts, partnerships and ISAs."""
