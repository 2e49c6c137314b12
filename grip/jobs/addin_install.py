"""``grip addin installeer`` / ``verwijder``: the classic add-in in the user's own profile.

What IT did by hand (README, classic route, before issue 15) in one command, without admin
rights and without touching anything outside the user's profile:

1. build ``grip.xlam`` (``grip.jobs.addin_build``) with this Python's ``pythonw.exe``;
2. put the VBA modules into it (``GripRibbon.bas``, ``xlwings_udfs.bas``) through Excel
   itself: Excel's *Trust access to the VBA project object model* (``AccessVBOM`` under
   ``HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Security``) is switched on for the
   import only and put back as it was, also when the import fails;
3. copy ``grip.xlam`` into the user's ``XLSTART`` folder (``%APPDATA%\\Microsoft\\Excel\\
   XLSTART``): Excel opens every file there at start-up, and the folder is one of Office's
   default trusted locations, so no add-in dialog and no trusted-location setting is needed.

Windows registry writes and the Excel import cannot run here: both sit behind small
interfaces (``Registry``, ``VbaImporter``) that the tests replace with a dictionary and a
recorder, so the order of the steps, the restoring of ``AccessVBOM`` and the files are
tested, but **this never ran on Windows** (said in the README too).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from calc.errors import GripError
from grip.jobs.addin_build import ADDIN_FILE, build_addin

#: Office 2016, 2019, 2021, LTSC and Microsoft 365 all keep their settings under 16.0.
OFFICE_VERSION = "16.0"
SECURITY_KEY = rf"Software\Microsoft\Office\{OFFICE_VERSION}\Excel\Security"
VBOM = "AccessVBOM"


class Registry(Protocol):
    """The user's own registry hive (HKEY_CURRENT_USER); values are DWORDs here."""

    def get(self, key: str, name: str) -> int | None: ...

    def set(self, key: str, name: str, value: int) -> None: ...

    def delete(self, key: str, name: str) -> None: ...


class VbaImporter(Protocol):
    def import_modules(self, workbook: Path, modules: list[Path]) -> None:
        """Import the ``.bas`` modules into ``workbook``, run ``GripHulpteksten``, save."""


class InstallError(GripError):
    prefix = "#INSTALLATIE"


@dataclass(frozen=True)
class Profile:
    """The folders of one Windows user."""

    appdata: Path          # %APPDATA% (Roaming)
    localappdata: Path     # %LOCALAPPDATA%

    @classmethod
    def current(cls) -> Profile:
        try:
            return cls(Path(os.environ["APPDATA"]), Path(os.environ["LOCALAPPDATA"]))
        except KeyError:
            raise InstallError("dit is geen Windows-gebruikersprofiel (APPDATA en "
                               "LOCALAPPDATA ontbreken); installeer op de pc van de gebruiker"
                               ) from None

    @property
    def xlstart(self) -> Path:
        return self.appdata / "Microsoft" / "Excel" / "XLSTART"


@dataclass
class InstallReport:
    addin: Path
    lines: list[str] = field(default_factory=list)


class WindowsRegistry:
    """``HKEY_CURRENT_USER`` through ``winreg`` (Windows only)."""

    def __init__(self):
        import winreg

        self.winreg = winreg

    def get(self, key: str, name: str) -> int | None:
        w = self.winreg
        try:
            with w.OpenKey(w.HKEY_CURRENT_USER, key) as k:
                return int(w.QueryValueEx(k, name)[0])
        except FileNotFoundError:
            return None

    def set(self, key: str, name: str, value: int) -> None:
        w = self.winreg
        with w.CreateKeyEx(w.HKEY_CURRENT_USER, key, 0, w.KEY_SET_VALUE) as k:
            w.SetValueEx(k, name, 0, w.REG_DWORD, int(value))

    def delete(self, key: str, name: str) -> None:
        w = self.winreg
        try:
            with w.OpenKey(w.HKEY_CURRENT_USER, key, 0, w.KEY_SET_VALUE) as k:
                w.DeleteValue(k, name)
        except FileNotFoundError:
            pass


class ExcelVbaImporter:
    """Excel (hidden, its own instance) imports the modules, as *Bestand importeren* would."""

    def import_modules(self, workbook: Path, modules: list[Path]) -> None:
        import xlwings as xw

        app = xw.App(visible=False, add_book=False)
        try:
            book = app.books.open(str(workbook))
            components = book.api.VBProject.VBComponents
            for module in modules:
                components.Import(str(module))
            app.api.Run(f"'{workbook.name}'!GripHulpteksten")
            book.save()
            book.close()
        finally:
            app.quit()


def pythonw() -> str:
    """The ``pythonw.exe`` beside this Python (Excel starts it without a console window)."""
    exe = Path(sys.executable)
    windowless = exe.with_name("pythonw.exe")
    return str(windowless if windowless.exists() else exe)


def install(profile: Profile, registry: Registry, importer: VbaImporter, *,
            python_win: str | None = None) -> InstallReport:
    """Build, import the VBA through Excel, copy into XLSTART; ``AccessVBOM`` restored."""
    target = profile.xlstart / ADDIN_FILE
    with tempfile.TemporaryDirectory() as folder:
        files = build_addin(Path(folder), python_win=python_win or pythonw())
        before: Any = registry.get(SECURITY_KEY, VBOM)
        registry.set(SECURITY_KEY, VBOM, 1)
        try:
            importer.import_modules(files.addin, [files.ribbon_module, files.udf_module])
        except Exception as exc:  # noqa: BLE001 — Excel/COM errors of any kind
            raise InstallError(
                "Excel kon de VBA-modules niet importeren "
                f"({type(exc).__name__}: {str(exc)[:120]}). Vaak verbiedt een beleid van IT "
                "'Toegang tot het objectmodel van VBA-projecten vertrouwen'; importeer dan "
                "GripRibbon.bas en xlwings_udfs.bas met de hand (README, klassieke route)."
            ) from exc
        finally:
            if before is None:
                registry.delete(SECURITY_KEY, VBOM)
            else:
                registry.set(SECURITY_KEY, VBOM, before)
        profile.xlstart.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(files.addin, target)
        except PermissionError:
            raise InstallError(f"{target} is in gebruik: sluit Excel en probeer het opnieuw"
                               ) from None
    report = InstallReport(target)
    report.lines = [
        f"Invoegtoepassing geïnstalleerd: {target}",
        "Excel opent haar bij het starten (de map XLSTART is een vertrouwde locatie).",
        f"Python voor Excel: {python_win or pythonw()}",
        "Toegang tot het VBA-objectmodel staat weer zoals hij stond.",
        "Controle: start Excel en typ =SD_VERSIE() in een cel.",
    ]
    return report


def uninstall(profile: Profile) -> InstallReport:
    """Remove ``grip.xlam`` from XLSTART (the Python environment stays; IT removes that)."""
    target = profile.xlstart / ADDIN_FILE
    report = InstallReport(target)
    if not target.exists():
        report.lines = [f"Er staat geen {ADDIN_FILE} in {profile.xlstart}; niets verwijderd."]
        return report
    try:
        target.unlink()
    except PermissionError:
        raise InstallError(f"{target} is in gebruik: sluit Excel en probeer het opnieuw") from None
    report.lines = [f"Verwijderd: {target}",
                    rf"De Python-omgeving verwijdert u met de map {profile.localappdata}\Grip."]
    return report
