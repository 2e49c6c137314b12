"""Sheet names, named ranges and fixed ranges of the begrotingsmodel: one place for all.

The add-in's macros read inputs and write outputs through these names; the builders place
them; the tests read them back. Renaming one is a template change (see ``TEMPLATE_VERSION``).
"""

from __future__ import annotations

#: Version of the workbook template; stored in the workbook (named range ``grip_versie``).
TEMPLATE_VERSION = "1.0"

# --- sheet names, in workbook order -------------------------------------------------------
START = "Start"
PARAMETERS = "Parameters"
THEMAS = "Thema's"
DWARSVERBANDEN = "Dwarsverbanden"
MAATREGELEN = "Maatregelen"
SCENARIOS = "Scenario's"
MEERJARENRAMING = "Meerjarenraming"
PROGNOSE = "Prognose"
AANBIEDERS = "Aanbieders"
GRIPNIVEAU = "Gripniveau"
WIJKEN = "Wijken"
TOELICHTING = "Toelichting"

# --- Start ---------------------------------------------------------------------------------
NAME_VERSION = "grip_versie"
NAME_MUNICIPALITY = "grip_gemeente"

# --- Parameters: inputs the ribbon buttons read (issue 8 places them) ---------------------
#: Path of the store of the berichtenverkeer (DuckDB file); empty = next to the workbook.
NAME_STORE_PATH = "grip_opslag"
#: Folder (or file) of messages/exports for "Berichtenverkeer inlezen".
NAME_MESSAGES_PATH = "grip_berichtenmap"

# --- Output tables of the ribbon buttons: each engine's sheet places its own --------------
# A button's job (grip/jobs/<engine>.py: run_button) returns {name: 2-D values} for these.
NAME_OUT_IMPORT = "grip_uit_import"          # Start or Parameters: last import summary
NAME_OUT_PROGNOSE = "grip_uit_prognose"      # Prognose: year-end forecast table
NAME_OUT_PROVIDERS = "grip_uit_aanbieders"   # Aanbieders: provider view table
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

# --- Meerjarenraming (issue 7) -------------------------------------------------------------

# --- Prognose / Aanbieders (issue 4) -------------------------------------------------------
#: Prognose: header row of the year-end table (grip_uit_prognose = the rows below it).
PROG_TABLE_ROW = 6
PROG_TABLE_ROWS = 45
PROG_TABLE_COLS = 10
#: Prognose: monthly chart data (month, actual, forecast, lower, band), header row and size.
PROG_MONTHLY_ROW = PROG_TABLE_ROW + PROG_TABLE_ROWS + 3
PROG_MONTHLY_ROWS = 48
NAME_PROG_MONTHLY = "prog_maanden"
#: Prognose: the SD_PROGNOSE demo block (series input and its forecast).
NAME_PROG_SERIES = "prog_reeks"
NAME_PROG_HORIZON = "prog_horizon"
NAME_PROG_SERIES_FORECAST = "prog_reeksprognose"
#: Aanbieders: header row of the provider table (grip_uit_aanbieders = the rows below it).
PROV_TABLE_ROW = 6
PROV_TABLE_ROWS = 100
PROV_TABLE_COLS = 12

# --- Gripniveau (issue 6) ------------------------------------------------------------------
