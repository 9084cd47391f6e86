"""Views of the problems app, one module per concept; each defines `urlpatterns`."""
