"""Casualty reports: the paragraph, labels, charts and the text, HTML, PDF and JSON documents."""
