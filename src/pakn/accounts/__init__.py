"""Staff accounts: two-factor login (TOTP through django-otp, one-time recovery codes), enrolment, the second
step after the password, and an administrator's reset. See docs/protection.md, "Two-factor login"."""
