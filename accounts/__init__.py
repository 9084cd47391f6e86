"""Users, roles, sign-in with a required second factor, lockout and session limits."""
