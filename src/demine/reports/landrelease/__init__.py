"""The land-release report: document (text, HTML, PDF, JSON) and its charts and map."""
