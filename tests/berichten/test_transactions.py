"""An interrupted import leaves the store exactly as it was."""

import pandas as pd
import pytest

from berichten import importer
from berichten.importer import import_paths
from berichten.store import Store


def _snapshot(store_path):
    with Store(store_path) as store:
        return {name: getattr(store, name)() for name in
                ("claim_lines", "allocations", "quarantine", "imports", "messages")}


@pytest.mark.parametrize("flush_rows", [1, 200_000])
def test_interruption_midway_rolls_everything_back(msg, tmp_path, store_path, monkeypatch,
                                                   flush_rows):
    """Ctrl+C during the third file (after bulk inserts of earlier files) undoes the import."""
    import_paths(store_path, [msg.write(tmp_path / "oud", "0.xml",
                                        msg.claim([msg.Line("R0")], ident="0"))])
    before = _snapshot(store_path)
    folder = tmp_path / "nieuw"
    for i in range(1, 5):
        msg.write(folder, f"{i}.xml", msg.claim([msg.Line(f"R{i}")], ident=str(i)))
    monkeypatch.setattr(importer, "FLUSH_ROWS", flush_rows)
    real = importer._Importer.run_file
    calls = []

    def interrupted(self, path, parsed=None):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(self, path, parsed)

    monkeypatch.setattr(importer._Importer, "run_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        import_paths(store_path, [folder])
    after = _snapshot(store_path)
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    monkeypatch.setattr(importer._Importer, "run_file", real)
    report = import_paths(store_path, [folder])  # and the same files import fine afterwards
    assert report.accepted == 4


def test_buffers_flushed_midway_are_removed_when_a_later_part_of_the_file_fails(
        msg, tmp_path, store_path, monkeypatch):
    """A file failing after a bulk insert of its first lines keeps none of them."""
    monkeypatch.setattr(importer, "FLUSH_ROWS", 1)
    good = msg.write(tmp_path, "a.xml", msg.claim([msg.Line("R1")], ident="A"))
    text = msg.claim([msg.Line(f"R{i}") for i in range(2, 8)], ident="B")
    bad = msg.write(tmp_path, "b.xml", text[: int(len(text) * 0.8)])
    report = import_paths(store_path, [good, bad])
    with Store(store_path) as store:
        assert store.claim_lines()["reference_number"].tolist() == ["R1"]
    assert (report.accepted, report.quarantined) == (1, 1)
