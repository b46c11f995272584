"""The quality management report (IMAS 07.12)."""
