"""Bulletins, statistics tables, charts and maps rendered for people."""
