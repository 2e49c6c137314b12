"""One way to open the store, one Dutch error for a store that cannot be used."""

import subprocess
import sys

import pytest

from berichten.store import Store, StoreError, open_store
from calc.errors import InputError, describe
from workbooks import layout


def test_missing_store(tmp_path):
    """A missing store is a StoreError (an InputError) naming the file and what to do."""
    with pytest.raises(StoreError, match="bestaat niet; lees eerst berichten in") as info:
        open_store(tmp_path / "nergens.duckdb")
    assert isinstance(info.value, InputError) and info.value.argument == "opslag"


def test_a_folder_is_no_store(tmp_path):
    """A folder typed where the store file belongs (the messages folder, say) is named as a
    folder, for reading and for importing alike, not as missing."""
    for open_it in (open_store, Store):
        with pytest.raises(StoreError, match=r"is een map; de opslag is één bestand"):
            open_it(tmp_path)


def test_foreign_files_are_not_a_store(tmp_path):
    """A file that is no DuckDB database, or a DuckDB database without Grip's tables, is refused."""
    text = tmp_path / "tekst.duckdb"
    text.write_text("dit is geen database" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="is geen opslag van Grip"):
        open_store(text)
    import duckdb

    other = tmp_path / "ander.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE t (a INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="is geen opslag van Grip"):
        open_store(other)
    with pytest.raises(StoreError, match="is geen opslag van Grip"):
        Store(other)  # nor is anything written into it
    con = duckdb.connect(str(other), read_only=True)
    assert [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()] == ["t"]
    con.close()


def test_a_truncated_store_is_called_damaged(tmp_path):
    """A store cut off (copied while an import wrote it) said 'kan niet worden geopend (IO
    Error: Could not read enough bytes ...)'; it now says what happened and what to do."""
    import duckdb

    path = tmp_path / "opslag.duckdb"
    with Store(path):
        pass
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE extra AS SELECT range AS a FROM range(200000)")
    con.close()
    with open(path, "r+b") as f:
        f.truncate(20_000)
    with pytest.raises(StoreError, match="is beschadigd of onvolledig .*lees de berichten "
                                         "opnieuw in, in een nieuwe opslag"):
        open_store(path)


@pytest.mark.parametrize("name,what", [("export.csv", "een export"), ("model.xlsx", "een Excel-werkmap"),
                                       ("301.xml", "een bericht")])
def test_an_export_or_workbook_given_as_the_store_is_named(tmp_path, name, what):
    """A CSV export typed where the store belongs: for reading DuckDB answered 'Cannot launch
    in-memory database in read-only mode!', now the file is named for what it is, with the
    command that reads an export or message, for reading and importing alike."""
    path = tmp_path / name
    path.write_text("Gemeente;AGB-code;BSN\n0363;87654321;999990019\n", encoding="utf-8")
    for open_it in (open_store, Store):
        with pytest.raises(StoreError) as info:
            open_it(path)
        text = describe(info.value)
        assert f"is geen opslag van Grip ({what})" in text and "in-memory" not in text
        assert ("grip berichten inlezen" in text) == (what != "een Excel-werkmap")
    assert path.read_text(encoding="utf-8").startswith("Gemeente;")      # left as it was


def test_a_store_in_use_elsewhere_is_named(tmp_path):
    """A store another process holds open for writing gives a Dutch 'in gebruik' message."""
    path = tmp_path / "opslag.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError, match="is in gebruik door een ander programma"):
            open_store(path)
    finally:
        holder.communicate("")


def test_every_button_and_command_says_the_same(tmp_path, capsys):
    """Prognose, Gripniveau and the overview give the same message for the same missing store."""
    from grip.cli import main
    from grip.jobs import berichten, gripniveau, prognose

    missing = tmp_path / "nergens.duckdb"
    inputs = {layout.NAME_STORE_PATH: [[str(missing)]]}
    texts = set()
    for call in (lambda: prognose.run_button(inputs), lambda: gripniveau.run_button(inputs),
                 lambda: berichten.overzicht(missing)):
        with pytest.raises(StoreError) as info:
            call()
        texts.add(describe(info.value))
    assert len(texts) == 1
    assert main(["prognose", "--opslag", str(missing)]) == 2
    # the same words; the command line names its option (--opslag) where a button says opslag
    assert capsys.readouterr().err.strip() == f"Fout: --{texts.pop()}"


def test_an_empty_store_cell_is_asked_for_in_the_same_words():
    """Both store-reading buttons ask for grip_opslag in the same words, naming the cell."""
    from grip.jobs import NO_STORE, gripniveau, prognose

    for job in (prognose, gripniveau):
        with pytest.raises(InputError) as info:
            job.run_button({layout.NAME_STORE_PATH: [[""]]})
        assert (info.value.message, info.value.argument) == (NO_STORE, layout.NAME_STORE_PATH)
