"""UDFs for the meerjarenbegroting: the cliff, the baseline, the chance of a closing budget."""

from __future__ import annotations

import numpy as np

from addin import convert
from addin.policy import bereik, getal, udf
from calc import cells
from calc.budget.baseline import index_factors
from calc.budget.chance import chance_closing
from calc.budget.checks import VOLUME_LIMIT, rate_problems, share_problem
from calc.budget.income import FUND_BN, municipal_cut
from calc.budget.measures import Measure, MeasureMatrix, measure_matrix, measures_from, saldo_band
from calc.budget.years import FIRST_YEAR_MAX, FIRST_YEAR_MIN, MAX_YEARS, Horizon
from calc.cells import nl
from calc.errors import InputError, Problem, raise_if


#: Most measures SD_KANS_SLUITEND and SD_SALDOBAND take: an answer within seconds (with
#: 200.000 and 10.000 Monte Carlo draws per measure).
MAX_MEASURES = 200


def _savings_table(value, argument: str) -> np.ndarray:
    """The n x 3 / n x 4 range; wholly empty rows are skipped, a half-filled row is an error."""
    table = convert.to_matrix(value, argument, empty=np.nan, fractions=(3,))   # realisatiekans
    if table.ndim != 2 or table.shape[1] not in (3, 4):
        return table  # chance_closing names the shape
    keep = ~np.isnan(table).all(axis=1)
    if keep.sum() > MAX_MEASURES:
        raise InputError(f"{int(keep.sum())} maatregelen, meer dan de grens van {MAX_MEASURES}",
                         argument=argument)
    problems = [Problem(cells.MESSAGES["empty"], argument, int(r), int(c))
                for r, c in np.argwhere(np.isnan(table[:, :3]) & keep[:, None])]
    raise_if(problems)
    return table[keep]


@udf(
    tekort=getal("Het tekort dat de maatregelen moeten dekken, in euro (een overschot is negatief)."),
    besparingen=bereik("Per maatregel een rij: laag, waarschijnlijk, hoog (euro), eventueel een 4e "
                       "kolom realisatiekans (0-1). Lege rijen tellen niet mee. Hoogstens 200 "
                       "maatregelen."),
)
def SD_KANS_SLUITEND(tekort, besparingen):
    """Kans (0-1) dat de samen behaalde besparingen het tekort dekken; elke maatregel driehoeksverdeeld (laag, waarschijnlijk, hoog) en onafhankelijk.

    Exact berekend; bij veel maatregelen met 200.000 trekkingen (fout kleiner dan 0,01).
    """
    gap = convert.to_number(tekort, "tekort")
    table = _savings_table(besparingen, "besparingen")
    if table.shape[0] == 0:
        return 1.0 if gap <= 0 else 0.0
    return chance_closing(gap, table).probability


@udf(
    algemene_uitkering=getal("De algemene uitkering van de gemeente, in euro per jaar."),
    landelijke_korting_mld=getal("De landelijke korting op het gemeentefonds in miljard euro "
                                 "(bijvoorbeeld 2; 2,3; 2,4 of 3,4)."),
    fonds_mld=getal("Optioneel: omvang van het gemeentefonds in miljard euro (standaard 47,5)."),
)
def SD_RAVIJN(algemene_uitkering, landelijke_korting_mld, fonds_mld=None):
    """Het deel van de landelijke korting op het gemeentefonds dat de gemeente draagt, in euro per jaar (positief), naar rato van haar aandeel in het fonds."""
    au = convert.to_number(algemene_uitkering, "algemene_uitkering")
    cut = convert.to_number(landelijke_korting_mld, "landelijke_korting_mld")
    fund = convert.to_number(fonds_mld, "fonds_mld", default=FUND_BN)
    return municipal_cut(au, cut, fund)


def years_row(value, argument: str, *, first: int = 1900, last: int = 2200,
              most: int = 100) -> list[int]:
    """Consecutive whole years from ``first`` to ``last``, at most ``most`` of them."""
    years = convert.to_vector(value, argument, empty=None)
    if years.size == 0:
        raise InputError("er zijn geen jaren opgegeven", argument=argument)
    if years.size > most:
        raise InputError(f"{years.size} jaren, meer dan de grens van {most}", argument=argument)
    problems = [Problem(f"jaar {nl(y)} is geen geheel jaartal", argument, None, k)
                for k, y in enumerate(years) if y != int(y)]
    problems += [Problem(f"jaar {nl(y)} ligt niet tussen {first} en {last}", argument, None, k)
                 for k, y in enumerate(years) if y == int(y) and not first <= y <= last]
    problems += [Problem("de jaren moeten opeenvolgend zijn", argument, None, k)
                 for k in range(1, len(years)) if years[k] != years[k - 1] + 1][:1]
    raise_if(problems)
    return [int(y) for y in years]


@udf(
    bedragen=bereik("Startbedragen per taakveld (euro, het jaar vóór het eerste jaar, bijvoorbeeld de "
                    "jaareindeprognose): één kolom. Lege cellen blijven leeg."),
    loonaandeel=bereik("Loonaandeel per taakveld (0-100%): één kolom zo lang als bedragen, of één cel."),
    loonindex=bereik("Loonindex per jaar (bijvoorbeeld 3,5%): één rij, één cel per jaar."),
    prijsindex=bereik("Prijsindex per jaar: één rij, één cel per jaar."),
    volumegroei=bereik("Volumegroei per jaar (bijvoorbeeld demografie): één rij, of één rij per taakveld."),
)
def SD_BASISRAMING(bedragen, loonaandeel, loonindex, prijsindex, volumegroei):
    """Basisraming van de lasten per taakveld en jaar: startbedrag maal loon- en prijsindexatie en volumegroei, jaar op jaar. Geeft per taakveld een rij met een bedrag per jaar.
    """
    amounts = convert.to_vector(bedragen, "bedragen", empty=np.nan)
    wages = convert.to_vector(loonindex, "loonindex", fractions=True)
    prices = convert.to_vector(prijsindex, "prijsindex", fractions=True)
    if prices.size != wages.size:
        raise InputError(f"heeft {prices.size} jaren, de loonindex {wages.size}", argument="prijsindex")
    volume = convert.to_matrix(volumegroei, "volumegroei", fractions=True)
    if volume.shape not in ((1, wages.size), (amounts.size, wages.size)):
        raise InputError(f"verwacht één rij van {wages.size} cellen of {amounts.size} rijen, maar kreeg "
                         f"{volume.shape[0]} x {volume.shape[1]}", argument="volumegroei")
    shares = convert.to_vector(loonaandeel, "loonaandeel", fractions=True)
    if shares.size == 1:
        shares = np.full(amounts.size, shares[0])
    if shares.size != amounts.size:
        raise InputError(f"heeft {shares.size} cellen, bedragen heeft er {amounts.size}",
                         argument="loonaandeel")
    raise_if([p for k, x in enumerate(shares)
              if (p := share_problem(x, argument="loonaandeel", row=k, column=0))]
             + rate_problems(wages, argument="loonindex")
             + rate_problems(prices, argument="prijsindex")
             + rate_problems(volume, argument="volumegroei", limit=VOLUME_LIMIT))
    factors = index_factors(shares, wages, prices, volume)
    return convert.table(amounts[:, None] * factors)


def measure_rows(value, argument: str) -> list[dict]:
    """The m x 6 measures range (laag, waarschijnlijk, hoog, startjaar, structureel, kans)."""
    rows = convert.grid(value)
    filled = sum(1 for row in rows if not all(cells.is_empty(c) for c in list(row)[:4]))
    if filled > MAX_MEASURES:
        raise InputError(f"{filled} maatregelen, meer dan de grens van {MAX_MEASURES}",
                         argument=argument)
    out, problems = [], []
    for r, row in enumerate(rows):
        row = cells.row_cells(row, 6)
        if all(cells.is_empty(c) for c in row[:4]):
            continue
        found: list[Problem] = []
        low, mode, high = (cells.number(row[k], (argument, r, k), found) for k in range(3))
        start = cells.whole(row[3], (argument, r, 3), found, minimum=None)
        structural = cells.flag(row[4], (argument, r, 4), found, default=True)
        chance = cells.number(row[5], (argument, r, 5), found, default=1.0,
                              parse=cells.parse_fraction)
        if found:
            problems += found
            continue
        out.append(dict(row=r, name=f"maatregel {r + 1}", theme="-", low=low, most_likely=mode,
                        high=high, start_year=start, structural=structural, chance=chance))
    raise_if(problems)
    return out


def measure_matrix_from_ranges(maatregelen, indirect, horizon: Horizon, *, argument: str,
                               indirect_argument: str) -> MeasureMatrix:
    """The measures range (m x 6) and its indirect range (m x Y, or None) as a ``MeasureMatrix``.

    Every problem names its row and column within ``maatregelen`` (empty rows skipped, not
    renumbered); shared by SD_SALDOBAND and the ribbon job.
    """
    rows = measure_rows(maatregelen, argument)
    extra = convert.to_matrix(indirect, indirect_argument) if indirect is not None else None
    if extra is not None and extra.size and extra.shape[1] != horizon.n_years:
        raise InputError(f"verwacht {horizon.n_years} kolommen (één per jaar), maar kreeg "
                         f"{extra.shape[1]}", argument=indirect_argument)
    measures: list[Measure] = []
    origin: list[int] = []  # row of each measure within the range
    problems: list[Problem] = []
    shift = Measure.COLUMNS.index("low")  # the range has no name and theme columns
    for row in rows:
        r = row.pop("row")
        origin.append(r)
        if extra is not None and r < extra.shape[0] and extra[r].any():
            row["indirect"] = {"-": tuple(extra[r])}
        try:
            measures += measures_from([row], argument=argument)
        except InputError as exc:
            problems += [Problem(p.message, argument, r, None if p.column is None else p.column - shift)
                         for p in exc.problems]
    raise_if(problems)
    try:
        return measure_matrix(measures, horizon, None, argument=argument)
    except InputError as exc:
        raise InputError.from_problems([
            Problem(p.message, argument, None if p.row is None else origin[p.row],
                    None if p.column is None else p.column - shift) for p in exc.problems]) from None


@udf(
    jaren=bereik("De jaren van de raming: één rij, bijvoorbeeld 2026 tot en met 2029 (2000 tot en "
                 "met 2100, hoogstens 15 jaren)."),
    saldo=bereik("Saldo vóór maatregelen per jaar (baten min lasten, euro): één rij."),
    reserves=bereik("Onttrekking uit reserves per jaar (euro, incidenteel): één rij; leeg = 0."),
    maatregelen=bereik("Per maatregel een rij: laag, waarschijnlijk, hoog (euro per jaar), startjaar, "
                       "structureel (ja/nee), realisatiekans (0-1, leeg = 1). Lege rijen tellen niet "
                       "mee. Hoogstens 200 maatregelen."),
    indirect=bereik("Optioneel: indirect effect per maatregel en jaar (euro, bij de waarschijnlijke "
                    "besparing), uit de dwarsverbanden: één rij per maatregel, één kolom per jaar."),
)
def SD_SALDOBAND(jaren, saldo, reserves, maatregelen, indirect=None):
    """Bandbreedte van het saldo na maatregelen en reserves per jaar: drie rijen P10, P50 en P90 (euro), uit 10.000 trekkingen van de onzekere besparingen."""
    years = years_row(jaren, "jaren", first=FIRST_YEAR_MIN, last=FIRST_YEAR_MAX, most=MAX_YEARS)
    horizon = Horizon(first_year=years[0], n_years=len(years))
    before = convert.to_vector(saldo, "saldo", empty=None)
    reserve = convert.to_vector(reserves, "reserves")
    for name, v in (("saldo", before), ("reserves", reserve)):
        if v.size != len(years):
            raise InputError(f"heeft {v.size} cellen, er zijn {len(years)} jaren", argument=name)
    mm = measure_matrix_from_ranges(maatregelen, indirect, horizon,
                                    argument="maatregelen", indirect_argument="indirect")
    band = saldo_band(before, reserve, mm, years, chances=False)
    return convert.table(band.to_numpy())


@udf(
    jaren=bereik("De jaren: één rij of kolom, opeenvolgend (1900 tot en met 2200, hoogstens 100)."),
    investering=bereik("Investering per jaar (euro, 0 of meer): één rij of kolom zo lang als jaren."),
    besparing=bereik("Verwachte besparing per jaar (euro): één rij of kolom zo lang als jaren."),
)
def SD_TERUGVERDIENJAAR(jaren, investering, besparing):
    """Het eerste jaar vanaf wanneer de cumulatieve besparing min investering niet meer onder nul komt; anders de tekst 'niet binnen deze jaren'."""
    from calc.budget.business_case import payback_year

    years = years_row(jaren, "jaren")
    invest = convert.to_vector(investering, "investering")
    save = convert.to_vector(besparing, "besparing")
    for name, v in (("investering", invest), ("besparing", save)):
        if v.size != len(years):
            raise InputError(f"heeft {v.size} cellen, er zijn {len(years)} jaren", argument=name)
    raise_if([Problem("een investering is 0 of meer", "investering", None, k)
              for k in np.flatnonzero(invest < 0)])
    year = payback_year(save - invest, years)
    return float(year) if year is not None else "niet binnen deze jaren"
