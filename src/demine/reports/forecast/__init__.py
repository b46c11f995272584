"""The completion forecast report: document (text, HTML, PDF, JSON) and its charts."""
