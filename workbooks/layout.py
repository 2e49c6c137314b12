"""Sheet names, named ranges and fixed ranges of the begrotingsmodel: one place for all.

The add-in's macros read inputs and write outputs through these names; the builders place
them; the tests read them back. Renaming one is a template change (see ``TEMPLATE_VERSION``).
"""

from __future__ import annotations

#: Version of the workbook template; stored in the workbook (named range ``grip_versie``).
TEMPLATE_VERSION = "1.9"   # 1.9: Meerjarenraming's planned and indirect amounts per measure in the year columns below the business case (they stood in I:P beside the measures; the indirect block moves with its name), its scenario tables and charts at the foot of the sheet; every table of Meerjarenraming and Dwarsverbanden prints whole across a page; the provider table last on Aanbieders, its header on every printed page of it; 1.8: Samenvatting shows an overspend red with a plus sign (an underspend was red); Maatregelen refuses a start year after the last year of the outcomes and a ramp outside 0-10 as they are typed; 1.7: totals never add up around text or a Grip message (context.checked_sum); 1.6: the Prognose button fills the referrer and trajectory tables on Aanbieders (grip_uit_verwijzers, grip_uit_trajecten), its chart below them; the direct and indirect blocks on Scenario's name their themes (columns L and W); 1.5: the begroting table keeps its header (the hint is its first cell), the Prognose chart beside its monthly table; 1.4: Samenvatting title follows the forecast, warns of assumptions, no #INVOER before the self-assessment; 1.3: gemeentecode on Parameters; 1.1: sheet Namen, names beside codes on Prognose and Aanbieders
#                            1.2: Prognose: announced inflow change (input), status and notes

# --- sheet names, in workbook order -------------------------------------------------------
START = "Start"
SAMENVATTING = "Samenvatting"
PARAMETERS = "Parameters"
THEMAS = "Thema's"
DWARSVERBANDEN = "Dwarsverbanden"
MAATREGELEN = "Maatregelen"
SCENARIOS = "Scenario's"
MEERJARENRAMING = "Meerjarenraming"
PROGNOSE = "Prognose"
AANBIEDERS = "Aanbieders"
NAMEN = "Namen"
GRIPNIVEAU = "Gripniveau"
WIJKEN = "Wijken"
TOELICHTING = "Toelichting"
CONTROLE = "Controle"

# --- Start ---------------------------------------------------------------------------------
NAME_VERSION = "grip_versie"
#: A name (the constant "ja") only a values copy carries: the buttons and ``grip werkmap
#: bijwerken`` refuse it (its sheets no longer calculate, a button's table would disagree).
NAME_VALUES_COPY = "grip_waardenkopie"
NAME_MUNICIPALITY = "grip_gemeente"

# --- Samenvatting: the first page for the wethouder (issue 14) -------------------------
NAME_SV_BUDGET = "sv_begroting"     # theme (col 1) and begroting (col 2) per row: inputs
NAME_SV_FORECAST = "sv_prognose"    # expected, from, to, difference per theme row and the total
NAME_SV_SALDO = "sv_saldo"          # 5 x years: planned saldo, P10, P50, P90, chance closing

# --- Parameters: inputs the ribbon buttons read (issue 8 places them) ---------------------
#: Path of the store of the berichtenverkeer (DuckDB file); empty = next to the workbook.
NAME_STORE_PATH = "grip_opslag"
#: Folder (or file) of messages/exports for "Berichtenverkeer inlezen".
NAME_MESSAGES_PATH = "grip_berichtenmap"
#: CBS gemeentecode the forecast is for (a store may hold a region's messages); empty = all.
NAME_MUNICIPALITY_CODE = "grip_gemeentecode"
PAR_CODE_ROW = 9

# Inputs of the Parameters sheet (issue 8); grip_gemeente (NAME_MUNICIPALITY) is there too.
NAME_BUDGET_YEAR = "grip_begrotingsjaar"
#: Years of the indexation table (budget year and the three years after it: the raming).
NAME_INDEX_YEARS = "grip_index_jaren"
#: Indexation per year: column 1 wages (loonindex), column 2 prices (prijsindex), fractions.
NAME_INDEX = "grip_indexatie"
INDEX_YEARS = 4
#: The begrotingsjaren a model can be built for (the cell's validation, ``grip werkmap bouw``).
BUDGET_YEAR_MIN, BUDGET_YEAR_MAX = 2020, 2050

# --- Controle: the list "Werkmap controleren" writes (issue 8) ----------------------------
NAME_OUT_CONTROLE = "grip_uit_controle"
#: Rows of the check list (cell link, kind, message); more findings are counted, not listed.
CONTROLE_ROWS = 200

# --- Output tables of the ribbon buttons: each engine's sheet places its own --------------
# A button's job (grip/jobs/<engine>.py: run_button) returns {name: 2-D values} for these.
NAME_OUT_IMPORT = "grip_uit_import"          # Start or Parameters: last import summary
NAME_OUT_QUARANTINE = "grip_uit_quarantaine"  # beside grip_uit_import: quarantine per reason
#: Rows of the quarantine block (reason, count, euro, first example); more reasons are summed.
QUARANTINE_ROWS = 20
NAME_OUT_PROGNOSE = "grip_uit_prognose"      # Prognose: year-end forecast table
NAME_OUT_PROVIDERS = "grip_uit_aanbieders"   # Aanbieders: provider view table
NAME_OUT_TERUGBLIK = "grip_uit_terugblik"    # Prognose: last year's forecasts against actuals
NAME_OUT_SCENARIO = "grip_uit_scenario"      # Scenario's: Monte Carlo P10/P50/P90 table
NAME_OUT_BEGROTING = "grip_uit_begroting"    # Meerjarenraming: saldo band and closing chance
NAME_OUT_GRIPNIVEAU = "grip_uit_gripniveau"  # Gripniveau: measured KPIs

# --- Dwarsverbanden: the total-effect block (SD_TOTAALEFFECT) ------------------------------
#: Row of the header of the effect matrix; themes run down from the next row.
DV_FIRST_ROW = 6
#: Column of the theme names; matrix columns start one to the right.
DV_NAME_COL = 1
NAME_DV_THEMES = "dv_themas"
NAME_DV_MATRIX = "dv_matrix"
NAME_DV_SHOCK = "dv_schok"
NAME_DV_TOTAL = "dv_totaal"

# --- Maatregelen / Scenario's (issue 5) ----------------------------------------------------
#: Second municipality shown side by side with ``BuildContext.municipality`` in the demo; a
#: model for another municipality uses ``BuildContext.second_municipality``.
SECOND_MUNICIPALITY = "Gemeente Buurgemeente"
#: Thema's: the theme table of each municipality (fixed 20 rows, no header).
TH_FIRST_ROW = 7
TH_ROWS = 20
NAME_TH_THEMES = "th_themas"            # municipality A: thema .. bron (6 columns)
NAME_TH_NAMES = "th_namen"              # the theme names (dropdowns validate against this)
NAME_TH_THEMES_B = "th_themas_b"        # municipality B
#: Dwarsverbanden: the link tables (fixed capacity, empty rows are skipped).
DV_LINK_ROWS = 40
NAME_DV_LINKS = "dv_verbanden"          # municipality A: van .. bron (9 columns)
NAME_DV_LINKS_B = "dv_verbanden_b"      # municipality B
NAME_DV_LAGS = "dv_vertragingen"        # lags of the demo matrix (SD_EFFECTPAD)
NAME_DV_PATH = "dv_pad"                 # SD_EFFECTPAD output of the demo matrix
#: Maatregelen: the measure table (fixed capacity) and the horizon.
MT_ROWS = 15
NAME_MT_MEASURES = "mt_maatregelen"     # aan .. structureel (10 columns)
NAME_MT_FIRST_YEAR = "mt_beginjaar"
NAME_MT_YEARS = "mt_jaren"
MT_YEARS = 10
#: Scenario's: SD_SCENARIO blocks (20 themes x 10 years) and bands (3 x 10).
NAME_SC_TOTAL = "sc_totaal"
NAME_SC_DIRECT = "sc_direct"
NAME_SC_INDIRECT = "sc_indirect"
NAME_SC_BAND = "sc_band"
NAME_SC_TOTAL_B = "sc_totaal_b"
NAME_SC_BAND_B = "sc_band_b"
NAME_SC_TORNADO = "sc_tornado"
NAME_SC_COMPARE = "sc_scenarios"        # named scenarios side by side (names + direct/indirect/totaal)
#: ``grip_uit_scenario`` (NAME_OUT_SCENARIO): thema, jaar, P10, P50, P90 for every theme and
#: the total, (TH_ROWS + 1) x MT_YEARS rows.
SC_OUT_COLUMNS = ("Thema", "Jaar", "P10", "P50", "P90")
#: Wijken: the key (header + rows) and the effect per wijk.
WK_KEY_ROWS = 12
WK_DISTRICTS = 4
NAME_WK_KEY = "wk_sleutel"
NAME_WK_RESULT = "wk_effect"

# --- Meerjarenraming (issue 7) -------------------------------------------------------------
NAME_MJR_YEARS = "mjr_jaren"                  # 1 x Y: the years of the raming
NAME_MJR_TAAKVELDEN = "mjr_taakvelden"        # n x 1: Iv3 code per lasten line
NAME_MJR_START = "mjr_startbedragen"          # n x 1: lasten of the base year (prognose)
NAME_MJR_LASTEN = "mjr_lasten"                # n x Y: SD_BASISRAMING
NAME_MJR_BATEN = "mjr_baten"                  # 1 x Y: totaal baten
NAME_MJR_SALDO_BEFORE = "mjr_saldo_voor"      # 1 x Y: saldo vóór maatregelen
NAME_MJR_RESERVES = "mjr_reserves"            # 1 x Y: onttrekking reserves
NAME_MJR_MEASURES = "mjr_maatregelen"         # m x 6: laag, waarschijnlijk, hoog, startjaar, structureel, kans
NAME_MJR_INDIRECT = "mjr_indirect"            # m x Y: indirect effect per measure and year
NAME_MJR_SALDO = "mjr_saldo"                  # 1 x Y: saldo na maatregelen en reserves (gepland)
NAME_MJR_BAND = "mjr_band"                    # 3 x Y: SD_SALDOBAND (P10, P50, P90)
NAME_MJR_CHANCE = "mjr_kans"                  # 1 x Y: SD_KANS_SLUITEND per year
NAME_MJR_CUT = "mjr_korting"                  # dropdown: kortingsscenario
NAME_MJR_REFORM = "mjr_hervorming"            # dropdown: Hervormingsagenda

# --- Prognose / Aanbieders (issue 4) -------------------------------------------------------
#: Prognose: the announced change of the inflow of new clients (a council's decision), inputs
#: in row ``PROG_INFLOW_ROW``: the month it starts (B) and the relative change (D); empty = none.
PROG_INFLOW_ROW = 3
NAME_INFLOW_FROM = "grip_instroom_vanaf"
NAME_INFLOW_CHANGE = "grip_instroom_wijziging"
#: Prognose: the status and notes of the forecast (peilmaand, when, from which store, every
#: note of the calc), one text line per row in column A; the builder and the button write it.
NAME_OUT_PROGNOSE_HEAD = "grip_uit_prognose_kop"
PROG_HEAD_ROW = PROG_INFLOW_ROW + 2
PROG_HEAD_ROWS = 24
#: Prognose: header row of the year-end table (grip_uit_prognose = the rows below it).
PROG_TABLE_ROW = PROG_HEAD_ROW + PROG_HEAD_ROWS + 1
PROG_TABLE_ROWS = 45
PROG_TABLE_COLS = 11
#: Prognose: monthly chart data (month, actual, forecast, lower, band), header row and size.
PROG_MONTHLY_ROW = PROG_TABLE_ROW + PROG_TABLE_ROWS + 3
PROG_MONTHLY_ROWS = 48
NAME_PROG_MONTHLY = "prog_maanden"
#: Prognose: header row of the look-back (grip_uit_terugblik = the 12 rows below it).
PROG_LOOK_BACK_ROW = PROG_MONTHLY_ROW + PROG_MONTHLY_ROWS + 3
#: Prognose: the SD_PROGNOSE demo block (series input and its forecast), below the look-back
#: (its own rows, so the folded spare months of the monthly table hide none of it).
PROG_DEMO_ROW = PROG_LOOK_BACK_ROW + 12 + 3
NAME_PROG_SERIES = "prog_reeks"
NAME_PROG_HORIZON = "prog_horizon"
NAME_PROG_SERIES_FORECAST = "prog_reeksprognose"
#: Aanbieders (template 1.9): the chart of the largest providers, inflow and spending per
#: referrer, the cost of a trajectory per product, then the provider table, last, so that its
#: header repeats on every printed page of it and on no page of the tables above (the button
#: writes all three tables; below the provider table its header named the wrong columns).
#: The row of the providers chart and the rows it takes (10 cm).
PROV_CHART_ROW = 5
PROV_CHART_ROWS = 20
NAME_OUT_REFERRERS = "grip_uit_verwijzers"
REFERRER_ROWS = 10
REFERRER_ROW = PROV_CHART_ROW + PROV_CHART_ROWS + 2
NAME_OUT_TRAJECTORIES = "grip_uit_trajecten"
TRAJECTORY_ROWS = 30
TRAJECTORY_ROW = REFERRER_ROW + REFERRER_ROWS + 3
#: Aanbieders: header row of the provider table (grip_uit_aanbieders = the rows below it).
PROV_TABLE_ROW = TRAJECTORY_ROW + TRAJECTORY_ROWS + 3
PROV_TABLE_ROWS = 100
PROV_TABLE_COLS = 13

# --- Namen: names beside codes (issue 14) ---------------------------------------------------
#: The municipality's provider register (input: AGB code, name); "Prognose bijwerken" reads it.
NAME_PROVIDER_REGISTER = "grip_aanbiedersregister"
REGISTER_ROW = 6           # header row; the register runs down from the next row
REGISTER_ROWS = 300
#: The Iv3 taakvelden and product categories with their descriptions (for lookups).
NAME_NM_TAAKVELDEN = "nm_taakvelden"
NAME_NM_CATEGORIES = "nm_productcategorieen"

# --- Gripniveau (issue 6) ------------------------------------------------------------------
#: Settings block: the two level limits (B5:B6), KPI share, start quarter, measures per quarter.
NAME_GN_LIMITS = "gn_grenzen"
NAME_GN_KPI_WEIGHT = "gn_kpi_gewicht"
NAME_GN_START_QUARTER = "gn_startkwartaal"
NAME_GN_PER_QUARTER = "gn_per_kwartaal"
#: Financial challenge per year from the meerjarenraming (shortfall positive), for the quick scan.
NAME_GN_CHALLENGE = "gn_opgave"
#: Overview of the nine topics: names, weights, measured KPI score, score, level.
NAME_GN_TOPICS = "gn_onderwerpen"
NAME_GN_WEIGHTS = "gn_gewichten"
NAME_GN_KPI_SCORES = "gn_kpi_scores"
NAME_GN_SCORES = "gn_scores"
NAME_GN_LEVELS = "gn_niveaus"
NAME_GN_GRIP_SCORE = "gn_gripscore"
NAME_GN_GRIP_LEVEL = "gn_gripniveau"
#: Rubric and self-assessment: criterion ids and the dropdown column.
NAME_GN_CRITERIA = "gn_criteria"
NAME_GN_ASSESSMENT = "gn_zelfbeoordeling"
#: Development agenda (SD_GRIPAGENDA over a fixed range).
NAME_GN_AGENDA = "gn_agenda"
#: Rows of the measured-KPI table (NAME_OUT_GRIPNIVEAU) and of the agenda range.
GN_KPI_ROWS = 7
GN_AGENDA_ROWS = 30
