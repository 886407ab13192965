"""A real OpenID Connect provider for the citizen login tests: a tiny Django project (django-oauth-toolkit
with OpenID Connect on), run as its own process on a free port with its own SQLite database and an RSA key made
by the test. ``harness`` starts it; ``run`` is what the process runs. It imports nothing of PAKN."""
