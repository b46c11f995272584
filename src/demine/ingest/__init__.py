"""Readers that turn source files into domain objects, one module per source format."""
