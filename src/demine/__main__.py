"""``python -m demine``: the same as the ``demine`` command."""

from demine.cli.main import run

# Guarded: worker processes started with "spawn" (demine serve --workers) import this
# module again under another name, and must not run the command a second time.
if __name__ == "__main__":
    run()
