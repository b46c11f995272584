"""OGC API – Features, independent of the web framework (handlers return responses)."""
