"""Security tests across the whole url_map: headers, cookies, object-level access."""
