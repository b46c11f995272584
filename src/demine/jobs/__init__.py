"""Background work kept in the database: a runner per server process, and the jobs it runs.

:mod:`demine.jobs.runner` runs any job and keeps its row current; :mod:`demine.jobs.imports`
is the import of an uploaded file, the first kind of job.
"""
