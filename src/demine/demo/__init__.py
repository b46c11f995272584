"""A deterministic demo register for Azerbaijan's liberated territories.

Published ANAMA national figures are reproduced; everything else is synthetic. See
``README.md`` in this folder.
"""

from demine.demo.build import DemoRegister, build_demo

__all__ = ["DemoRegister", "build_demo"]
