"""The REST API for partners' own case systems (issue 24): personal API tokens, and /api/v1/ over
the same selectors and services as the pages, so that no access or disclosure rule is written twice."""
