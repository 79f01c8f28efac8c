"""Pages anyone may read: home, language switch, health check."""
