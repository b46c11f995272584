"""The ``demine`` command line: thin commands over the use cases."""
