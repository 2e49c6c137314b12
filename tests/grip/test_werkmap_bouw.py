"""`grip werkmap bouw` never overwrites a model silently: refuse, or replace after a backup."""

from grip.cli import main


def test_bouw_refuses_an_existing_file_and_leaves_it_untouched(tmp_path, capsys):
    """A second build to the same path is refused in Dutch (exit 2); the file keeps its bytes."""
    path = tmp_path / "model.xlsx"
    path.write_bytes(b"wat de controller typte")
    assert main(["werkmap", "bouw", "--uit", str(path)]) == 2
    err = capsys.readouterr().err
    assert "bestaat al" in err and "--vervang" in err
    assert path.read_bytes() == b"wat de controller typte"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.xlsx"]


def test_bouw_refuses_an_existing_values_copy(tmp_path, capsys):
    """The values copy is protected the same way, before anything is written."""
    path, copy = tmp_path / "model.xlsx", tmp_path / "kopie.xlsx"
    copy.write_bytes(b"oud")
    assert main(["werkmap", "bouw", "--uit", str(path), "--waarden", str(copy)]) == 2
    assert not path.exists() and copy.read_bytes() == b"oud"
    assert "kopie.xlsx bestaat al" in capsys.readouterr().err


def test_vervang_keeps_a_verified_backup_first(tmp_path, capsys):
    """With --vervang the old model is kept beside it, byte for byte, named after its version;
    a second replacement gets a new backup name instead of overwriting the first."""
    from openpyxl import load_workbook

    path = tmp_path / "model.xlsx"
    assert main(["werkmap", "bouw", "--uit", str(path), "--gemeente", "Gemeente X"]) == 0
    first = path.read_bytes()
    assert main(["werkmap", "bouw", "--uit", str(path), "--vervang"]) == 0
    from workbooks.layout import TEMPLATE_VERSION

    backup = tmp_path / f"model.reservekopie-v{TEMPLATE_VERSION}.xlsx"
    assert backup.read_bytes() == first
    assert f"Reservekopie: {backup}" in capsys.readouterr().out
    assert load_workbook(backup).defined_names["grip_gemeente"] is not None
    assert main(["werkmap", "bouw", "--uit", str(path), "--vervang"]) == 0
    assert (tmp_path / f"model.reservekopie-v{TEMPLATE_VERSION}-2.xlsx").exists()
    assert backup.read_bytes() == first


def test_vervang_keeps_a_file_that_is_no_grip_model(tmp_path):
    """Replacing a file Grip cannot read still keeps it (version 'oud')."""
    path = tmp_path / "model.xlsx"
    path.write_bytes(b"geen werkmap")
    assert main(["werkmap", "bouw", "--uit", str(path), "--vervang"]) == 0
    assert (tmp_path / "model.reservekopie-voud.xlsx").read_bytes() == b"geen werkmap"
