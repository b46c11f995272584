"""A task's dossier and the land release certificate of a completed task."""
