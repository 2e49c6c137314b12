"""``grip addin installeer``/``verwijder`` with a fake registry and a fake Excel: the steps,
their order and AccessVBOM put back. Never ran on Windows (no winreg, no Excel here)."""

import zipfile

import pytest

from grip.cli import main
from grip.jobs import addin_install
from grip.jobs.addin_install import SECURITY_KEY, VBOM, InstallError, Profile, install, uninstall


class FakeRegistry:
    def __init__(self, values=None):
        self.values = dict(values or {})
        self.log = []

    def get(self, key, name):
        return self.values.get((key, name))

    def set(self, key, name, value):
        self.log.append(("set", name, value))
        self.values[(key, name)] = value

    def delete(self, key, name):
        self.log.append(("delete", name))
        self.values.pop((key, name), None)


class FakeExcel:
    def __init__(self, registry, fail=False):
        self.registry, self.fail, self.calls = registry, fail, []

    def import_modules(self, workbook, modules):
        assert self.registry.get(SECURITY_KEY, VBOM) == 1  # switched on for the import
        assert zipfile.is_zipfile(workbook)
        self.calls.append((workbook.name, [m.name for m in modules]))
        if self.fail:
            raise OSError("Programmatic access to Visual Basic Project is not trusted")


@pytest.fixture
def profile(tmp_path):
    return Profile(tmp_path / "Roaming", tmp_path / "Local")


@pytest.mark.parametrize("before", [None, 0, 1])
def test_install_imports_vba_then_copies_into_xlstart_and_restores_access(profile, before):
    """VBA imported into the built add-in with AccessVBOM on, then put back as it was."""
    registry = FakeRegistry({} if before is None else {(SECURITY_KEY, VBOM): before})
    excel = FakeExcel(registry)
    report = install(profile, registry, excel, python_win=r"C:\Grip\pythonw.exe")
    assert excel.calls == [("grip.xlam", ["GripRibbon.bas", "xlwings_udfs.bas"])]
    assert registry.get(SECURITY_KEY, VBOM) == before
    assert report.addin == profile.xlstart / "grip.xlam" and report.addin.is_file()
    with zipfile.ZipFile(report.addin) as z:
        assert b"C:\\Grip\\pythonw.exe" in z.read("xl/worksheets/sheet1.xml")
    assert "=SD_VERSIE()" in report.lines[-1]


def test_failed_import_restores_access_and_installs_nothing(profile):
    registry = FakeRegistry({(SECURITY_KEY, VBOM): 0})
    with pytest.raises(InstallError, match="met de hand"):
        install(profile, registry, FakeExcel(registry, fail=True))
    assert registry.get(SECURITY_KEY, VBOM) == 0
    assert not (profile.xlstart / "grip.xlam").exists()


def test_uninstall_removes_only_grip_xlam(profile):
    registry = FakeRegistry()
    install(profile, registry, FakeExcel(registry))
    other = profile.xlstart / "PERSONAL.XLSB"
    other.write_bytes(b"x")
    assert uninstall(profile).lines[0].startswith("Verwijderd:")
    assert not (profile.xlstart / "grip.xlam").exists() and other.exists()
    assert "niets verwijderd" in uninstall(profile).lines[0]


def test_command_outside_windows_says_so(monkeypatch, capsys):
    monkeypatch.delenv("APPDATA", raising=False)
    assert main(["addin", "installeer"]) == 2
    assert "geen Windows-gebruikersprofiel" in capsys.readouterr().err


def test_pythonw_is_beside_this_python():
    assert addin_install.pythonw().endswith(("pythonw.exe", "python", "python3"))
