"""grip begroting: the demo raming in Dutch, and the job's inputs."""

import pytest

from calc import profile
from calc.errors import InputError
from grip.cli import main
from grip.jobs.begroting import run_begroting


def test_command_prints_the_raming(capsys):
    """The command prints the years, the saldo band and the chance of a closing budget."""
    assert main(["begroting"]) == 0
    out = capsys.readouterr().out
    assert "Meerjarenraming 2026-2029" in out and "Kans sluitend" in out and "P90 saldo" in out


def test_command_starts_from_the_store(tmp_path, capsys, demo):
    """--opslag: the raming starts from that store's prognose, the year after it.

    The store is a copy of the session demo's (its messages written and imported at 5 % of
    the demo municipality, ``tests/conftest.py``), with its key: the command reads a store a
    real import made, and the demo's own folder stays as it was.
    """
    from tests.factories import copy_store

    store = copy_store(demo.workbook.parent / "grip_opslag.duckdb", tmp_path / "opslag.duckdb")
    assert main(["begroting", "--opslag", str(store), "--peilmaand", "2025-06"]) == 0
    out = capsys.readouterr().out
    assert "jaareindeprognose 2025 (peilmaand 06-2025)" in out
    assert "Meerjarenraming 2026-2029" in out and "Kans sluitend" in out
    # 5 % of the demo municipality: every forecast is far below the line it would replace
    assert "Dekking van de prognose per taakveld" in out
    assert "Let op: Jeugdhulp met verblijf (6.73c) houdt het bestaande bedrag € 7.800.000" in out
    assert "prognose niet gebruikt:" in out


@pytest.mark.parametrize("code", [profile.CODE, "0384"])
def test_a_thin_store_does_not_feed_the_begroting(tmp_path, capsys, code):
    """Issue 13: two claim lines in the store: the demo municipality's begroting keeps its
    amounts and says so. Another municipality's thin store printed that same raming of the
    demo, saldo and chance of closing included, as if it were its own: now it gets none, and
    the reason."""
    from berichten.importer import import_paths

    csv = tmp_path / "export.csv"
    csv.write_text(
        "Gemeente;AGB-code;BSN;Referentienummer;Productcategorie;Productcode;Productperiode;"
        "Declaratieperiode;Volume;Eenheid;Tarief;Bedrag\n"
        f"{code};65656055;999990019;R1;45;45A03;2026-03;2026-04;2;Uur;112.50;225.00\n"
        f"{code};65656055;999990032;R2;45;45A03;2026-03;2026-04;2;Uur;112.50;225.00\n",
        encoding="utf-8")
    store = tmp_path / "opslag.duckdb"
    assert import_paths(store, [csv]).accepted == 2
    assert main(["begroting", "--opslag", str(store)]) == 0
    thin = capsys.readouterr().out
    if code == "0384":
        assert thin == ("Let op: de opslag heeft 2 declaratieregels (minimaal 100): geen "
                        "prognose gebruikt, de begroting houdt de bestaande bedragen.\n\n"
                        "Deze opslag is niet van Gemeente Voorbeeld (gemeentecode 0384): zonder "
                        "prognose kent Grip geen lasten van uw gemeente, dus ook geen raming, "
                        "saldo of kans op een sluitende begroting. Lees meer declaraties in, of "
                        "vul uw eigen begroting in op het blad Meerjarenraming van het "
                        "begrotingsmodel.\n")
        return
    assert thin.startswith("Let op: de opslag heeft 2 declaratieregels (minimaal 100): geen "
                           "prognose gebruikt, de begroting houdt de bestaande bedragen.")
    assert main(["begroting"]) == 0
    plain = capsys.readouterr().out
    assert thin.split("Meerjarenraming", 1)[1] == plain.split("Meerjarenraming", 1)[1]


def test_command_refuses_a_bad_year_in_dutch(capsys):
    """A budget year outside what a model holds is argparse's Dutch message, exit code 2."""
    with pytest.raises(SystemExit) as exit_:
        main(["begroting", "--begrotingsjaar", "1900"])
    assert exit_.value.code == 2
    assert ("argument --begrotingsjaar: '1900' is geen begrotingsjaar: een jaar van 2020 tot en "
            "met 2050") in capsys.readouterr().err


def test_bad_start_table_is_a_dutch_error():
    """A missing taakveld in the starting amounts names the row."""
    import pandas as pd

    with pytest.raises(InputError, match="het taakveld ontbreekt") as err:
        run_begroting(pd.DataFrame({"taakveld": ["6.3", ""], "amount_euro": [1.0, 2.0]}))
    assert err.value.row == 1


def test_button_names_the_bad_measure_row():
    """The ribbon job refuses low > high with a Dutch message naming the range and row."""
    from grip.jobs.begroting import run_button
    from workbooks import layout

    inputs = {layout.NAME_MJR_YEARS: [[2026.0, 2027.0]], layout.NAME_MJR_SALDO_BEFORE: [[-1e5, -1e5]],
              layout.NAME_MJR_RESERVES: [[0.0, 0.0]], layout.NAME_MJR_INDIRECT: [[None, None]] * 2,
              layout.NAME_MJR_MEASURES: [[None] * 6, [5e5, 2e5, 1e5, 2026.0, "ja", None]]}
    with pytest.raises(InputError, match="laag .* is groter dan hoog") as err:
        run_button(inputs)
    assert (err.value.argument, err.value.row) == (layout.NAME_MJR_MEASURES, 1)


def test_button_fills_the_output_table():
    """One certain measure of 2e5 against a gap of 1e5: closes in both years."""
    from grip.jobs.begroting import run_button
    from workbooks import layout

    inputs = {layout.NAME_MJR_YEARS: [[2026.0, 2027.0]], layout.NAME_MJR_SALDO_BEFORE: [[-1e5, -1e5]],
              layout.NAME_MJR_RESERVES: [[None, None]], layout.NAME_MJR_INDIRECT: [[None, None]],
              layout.NAME_MJR_MEASURES: [[2e5, 2e5, 2e5, 2026.0, "ja", None]]}
    out = run_button(inputs)[layout.NAME_OUT_BEGROTING]
    assert out == [[2026.0, 1e5, 1e5, 1e5, 1.0, 1.0], [2027.0, 1e5, 1e5, 1e5, 1.0, 1.0]]


def test_forecast_replaces_the_lines_it_covers():
    """A forecast of 6.72a (theme Jeugdhulp zonder verblijf) replaces the demo lines of that
    taakveld and theme (6.72a 4.9 mln, 6.72b 3.7 mln); the other demo lines stay as they were."""
    import pandas as pd

    from calc.budget.measures import LASTEN

    base = run_begroting()
    fc = pd.DataFrame({"taakveld": ["6.72a"], "theme": ["Jeugdhulp zonder verblijf"],
                       "forecast_euro": [5_900_000.0]})
    more = run_begroting(forecast=fc)
    diff = more.table.loc[LASTEN] - base.table.loc[LASTEN]
    assert diff[2026] == pytest.approx((5_900_000 - 4_900_000 - 3_700_000)
                                       * (1 + 0.85 * 0.035 + 0.15 * 0.022) * 1.01)


@pytest.mark.parametrize("command", ["prognose", "begroting"])
def test_a_bad_peilmaand_is_refused_by_the_shared_option(command, tmp_path, capsys):
    """--peilmaand is one option for both commands: a month, else a Dutch usage error."""
    with pytest.raises(SystemExit) as exit_:
        main([command, "--opslag", str(tmp_path / "x.duckdb"), "--peilmaand", "2025-13"])
    assert exit_.value.code == 2
    assert ("'2025-13' is geen maand: typ bijvoorbeeld 2025-07, 07-2025 of juli 2025"
            in capsys.readouterr().err)


def test_another_municipality_gets_its_own_lasten_and_no_saldo_of_the_demo(tmp_path, capsys):
    """A small municipality's store beside the demo's begroting of 60.000 inhabitants: its
    well-covered forecast was refused by its share of the demo's amounts (5 %), and the raming
    printed the demo's saldo and chance of closing as if they were its own. Now: its forecast's
    lasten per taakveld, indexed, and no saldo or chance, with the reason."""
    import pandas as pd

    from berichten.importer import import_paths
    from calc.budget import demo
    from calc.budget.years import Horizon
    from grip.jobs.begroting import forecast_lasten
    from grip.jobs.prognose import run_prognose

    rows = ["Gemeente;AGB-code;BSN;Referentienummer;Productcategorie;Productcode;Productperiode;"
            "Declaratieperiode;Volume;Eenheid;Tarief;Bedrag"]
    bsns = [n for n in range(999990000, 999999999) if sum(
        int(d) * w for d, w in zip(f"{n:09d}", (9, 8, 7, 6, 5, 4, 3, 2, -1))) % 11 == 0][:12]
    for month in range(1, 11):
        for k, bsn in enumerate(bsns):
            rows.append(f"0599;65656055;{bsn};R{month}-{k};45;45A03;2025-{month:02d};"
                        f"2025-{month + 1:02d};10;Uur;80.00;800.00")
    csv = tmp_path / "export.csv"
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    store = tmp_path / "opslag.duckdb"
    assert import_paths(store, [csv]).accepted == 120
    assert main(["begroting", "--opslag", str(store), "--peilmaand", "2025-10"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Let op: deze opslag is niet van Gemeente Voorbeeld (gemeentecode "
                          "0599).")
    assert "Daarom geen saldo en geen kans op een sluitende begroting" in out
    assert "Kans sluitend" not in out and "Saldo" not in out and "prognose niet gebruikt" not in out
    prognose = run_prognose(store, as_of=pd.Timestamp("2025-10-01"))
    assert not demo.is_own(prognose.coverage)
    lasten = forecast_lasten(prognose.forecast, prognose.coverage, Horizon(first_year=2026))
    # the forecast's own lines, no line of the demo's begroting
    assert list(lasten.index.get_level_values("taakveld")) == sorted(
        set(prognose.forecast.detail["taakveld"].astype(str)))
    year_end = prognose.forecast.detail["forecast_euro"].sum()
    assert abs(year_end / (12 * 12 * 800) - 1) < 0.1    # twelve clients, twelve steady months
    assert 1.0 < lasten[2026].sum() / year_end < 1.06   # one year's index and volume growth
    total = out.split("Totaal", 1)[1].split()
    assert total[:2] == ["€", f"{lasten[2026].sum():,.0f}".replace(",", ".")]

    # the begrotingsjaar and the forecast's year: the forecast of 2025 is the start of a
    # raming from 2025 or 2026; 2024 labelled the 2025 forecast, indexed, as 2024-2027
    assert main(["begroting", "--opslag", str(store), "--peilmaand", "2025-10",
                 "--begrotingsjaar", "2024"]) == 2
    assert ("--begrotingsjaar: begrotingsjaar 2024 past niet bij de prognose van 2025 "
            "(peilmaand 10-2025)") in capsys.readouterr().err
    assert main(["begroting", "--opslag", str(store), "--peilmaand", "2025-10",
                 "--begrotingsjaar", "2025"]) == 0
    same_year = capsys.readouterr().out.split("Totaal", 1)[1].split()
    assert same_year[:2] == ["€", f"{year_end:,.0f}".replace(",", ".")]   # not indexed

    # every taakveld too thin (60 lines each): what each stands on and why, no error
    # ('lasten: de tabel heeft geen regels'), and no amount of the demo's begroting as 'the
    # existing one'
    thin = tmp_path / "dun.csv"
    thin.write_text("\n".join(rows[:1] + [
        r.replace("0599;", "0600;").replace(";R", ";T").replace(";45;45A03;", ";43;43A03;")
        for r in rows[1:61]] + [r.replace("0599;", "0600;").replace(";R", ";U")
                                for r in rows[61:]]) + "\n", encoding="utf-8")
    assert import_paths(store, [thin]).accepted == 120
    assert main(["begroting", "--opslag", str(store), "--gemeentecode", "0600"]) == 0
    out = capsys.readouterr().out
    assert "krijgt geen lasten uit de prognose" in out and "bestaande bedrag" not in out
    assert out.rstrip().endswith("Geen lasten uit de prognose: geen taakveld van de prognose "
                                 "staat op genoeg gegevens (zie de dekking hierboven); lees "
                                 "meer maanden of meer berichten in.")
