"""``SD_VERSIE``: which Grip answers, and through which route (for IT, after installing)."""

from __future__ import annotations

import platform

from addin import engine
from addin.policy import udf


@udf(pure=False)
def SD_VERSIE():
    """Versie van Grip en de route waarlangs Excel rekent (xlwings Lite, klassiek of zonder Excel), met de versies van Python en xlwings. Werkt dit, dan is Grip goed geïnstalleerd."""
    return (f"Grip {engine.version('grip')}; {engine.current()}; "
            f"Python {platform.python_version()}; xlwings {engine.version('xlwings')}")
