"""Editing the register record by record (web forms and the REST API), with the
approval workflow, optimistic concurrency and an append-only audit log."""
