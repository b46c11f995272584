"""Tables, the two database dialects (SQLite and PostGIS) and migrations."""
