"""No BSN, name or address reaches the store, the log, the messages or the key file."""

import logging

import duckdb
import pytest

from berichten.importer import import_paths
from berichten.pseudonym import Keyring, default_key_path
from berichten.store import Store
from calc.errors import InputError
from grip.cli import main


def _all_text(store_path) -> str:
    """Every value of every table of the store, as one text."""
    con = duckdb.connect(str(store_path), read_only=True)
    parts = []
    for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
        parts.append(con.execute(f"SELECT * FROM {table}").df().to_csv())
    con.close()
    return "\n".join(parts)


def test_no_bsn_or_personal_data_anywhere(msg, tmp_path, store_path, caplog, capsys):
    """Import examples and generated messages (good and bad), then search everything."""
    folder = tmp_path / "in"
    msg.write(folder, "c.xml", msg.claim([msg.Line("R1", bsn=msg.BSNS[0]),
                                          msg.Line("R2", bsn=msg.BSNS[1]),
                                          msg.Line("R3", dc="C", bsn=msg.BSNS[1])], ident="P"))
    msg.write(folder, "bad.xml", msg.claim([msg.Line("R4", bsn="999990018")], ident="Q"))
    msg.write(folder, "broken.xml", msg.claim([msg.Line("R5")], ident="R")
              .replace("<jw323:Bsn>999990019</jw323:Bsn>", "<jw323:Bsn>99999001</jw323:Bsn>"))
    caplog.set_level(logging.DEBUG)
    assert main(["berichten", "inlezen", "--opslag", str(store_path), "--stil",
                 str(msg.EXAMPLES), str(folder)]) == 0
    assert main(["berichten", "overzicht", "--opslag", str(store_path), "--json"]) == 0
    printed = capsys.readouterr()
    with Store(store_path) as store:
        assert store.claim_lines()["client"].str.fullmatch(r"p[0-9a-f]{16}").all()
        assert len(store.quarantine()) >= 4
    texts = {
        "store (tables)": _all_text(store_path),
        "store (file bytes)": store_path.read_bytes().decode("latin-1"),
        "log": caplog.text,
        "output": printed.out + printed.err,
        "key file": default_key_path(store_path).read_text(),
    }
    secrets = (*msg.BSNS, "999990018", "99999001", *msg.PERSONAL_TEXT)
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} found in {where}"
    assert "grip.berichten" in caplog.text  # the log was written, and searched


def test_pseudonyms_are_stable_per_key_and_differ_per_municipality(tmp_path):
    """Same key: same pseudonym after reloading; another municipality: another one."""
    path = tmp_path / "s.sleutel"
    first = Keyring.load(path).pseudonym("0384", "999990019")
    assert Keyring.load(path).pseudonym("0384", "999990019") == first
    assert Keyring.load(path).pseudonym("0363", "999990019") != first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_store_refuses_a_different_key(msg, tmp_path, store_path):
    """Importing with another key file into the same store is refused and changes nothing."""
    a = msg.write(tmp_path, "a.xml", msg.claim([msg.Line("R1")], ident="A"))
    b = msg.write(tmp_path, "b.xml", msg.claim([msg.Line("R2")], ident="B"))
    import_paths(store_path, [a])
    with pytest.raises(InputError, match="past niet bij deze opslag"):
        import_paths(store_path, [b], key_path=tmp_path / "andere.sleutel")
    with Store(store_path) as store:
        assert len(store.claim_lines()) == 1 and len(store.imports()) == 1
