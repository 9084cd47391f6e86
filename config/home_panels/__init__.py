"""The home page's panels, one module per kind of user. `config` wires the apps together, so the
home page, which shows panels from every app, lives here. Each `<role>_panels(user)` returns its
template's context (templates/home/<role>.html) with a fixed number of queries."""
