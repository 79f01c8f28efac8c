"""Administration pages: users and roles (and, in their own modules, the calendar and settings)."""
