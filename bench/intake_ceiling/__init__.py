"""The ceiling of bench/intake.py: PAKN's settings plus one app with one model and one bare view at /ceiling/
that inserts one row (a title, a text, a date) and commits. Served by the same gunicorn, in the same database,
so that the submission path is measured beside what Django + this server + this database can do at most."""
