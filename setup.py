"""The build compiles the translation catalogues (``.po`` → ``.mo``) into the package.

Everything else about the package is in ``pyproject.toml``; this file only adds that
step, so that no compiled catalogue is ever committed.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


def compile_catalogues(package_dir: Path) -> list[Path]:
    """Write ``demine.mo`` beside each ``demine.po`` under ``package_dir/locale``."""
    written = []
    for source in sorted((package_dir / "locale").glob("*/LC_MESSAGES/demine.po")):
        with source.open("rb") as stream:
            catalog = read_po(stream, locale=source.parent.parent.name)
        compiled = source.with_suffix(".mo")
        with compiled.open("wb") as stream:
            write_mo(stream, catalog)
        written.append(compiled)
    return written


class BuildWithCatalogues(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            compile_catalogues(Path(self.build_lib) / "demine")


setup(cmdclass={"build_py": BuildWithCatalogues})
