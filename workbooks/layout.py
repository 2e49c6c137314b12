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

# --- Gripniveau (issue 6) ------------------------------------------------------------------
