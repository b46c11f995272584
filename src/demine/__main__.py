"""``python -m demine``: the same as the ``demine`` command."""

from demine.cli.main import run

run()
