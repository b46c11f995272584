"""Field submissions: XForm instances from ODK Collect, Enketo or ODK Web Forms (over
OpenRosa) and rows of Kobo and ODK Central exports, kept raw and mapped into draft
records in the review queue through the same editing service the entry page uses.

:mod:`~demine.submissions.instance` reads an instance, :mod:`~demine.submissions.mapping`
turns it into records, :mod:`~demine.submissions.receive` stores and maps it in one
transaction (idempotent on its ``instanceID``), :mod:`~demine.submissions.exports` reads
the export files.
"""
