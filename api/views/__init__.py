"""The API's views: thin, each asking one app's selector what the user may see and, for a write,
calling that app's service as the page does."""
