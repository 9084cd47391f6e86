"""Views of the partnerships app, one module per concept; each module defines `urlpatterns`."""
