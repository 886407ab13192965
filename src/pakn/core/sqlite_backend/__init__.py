"""PAKN's SQLite backend: Django's, with a write lock that wakes its waiters (``base``)."""
