"""What the API returns: read-only serializers over the records each app's selectors return (the
views decide what may be seen; these only shape it)."""
