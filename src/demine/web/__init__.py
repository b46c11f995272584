"""The web application: REST API, OGC API – Features and pages, over the same store."""
