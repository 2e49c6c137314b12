"""Dwarsverbanden: how a change in one theme of the sociaal domein moves the others.

Modules (each one idea):

* ``total``: the total effect ``(I - A)^-1 s`` of a structural shock and the stability check;
* ``model``: the theme catalogue and the links (effect, lag, range, municipal share, source)
  as data, read from and written to CSV files or sheet rows;
* ``paths``: the year-by-year path ``x_t = s_t + sum A_link x_(t - lag)``, vectorised;
* ``measures``: measures (beleidsknoppen) and scenarios, turned into a shock per year;
* ``scenario``: ``scenario_effects``: direct and indirect effect per theme per year with a
  Monte Carlo band; sensitivity (tornado); municipalities and scenarios side by side;
* ``districts``: spreading effects over wijken by a configurable key.
"""

from calc.cross_effects.total import (
    MAX_SPECTRAL_RADIUS,
    check_effect_matrix,
    check_stable,
    spectral_radius,
    total_effect,
)
from calc.cross_effects.model import (
    LINK_COLUMNS,
    THEME_COLUMNS,
    EffectModel,
    Link,
    Theme,
    ThemeCatalogue,
    links_from_rows,
    links_to_rows,
    load_catalogue,
    load_links,
    load_model,
    save_model,
)
from calc.cross_effects.paths import effect_path, years_to_converge
from calc.cross_effects.measures import (
    MEASURE_COLUMNS,
    Measure,
    Scenario,
    measures_from_rows,
    measures_to_rows,
    load_scenarios,
    save_scenarios,
    scenarios_from_measures,
)
from calc.cross_effects.scenario import (
    BAND,
    ScenarioEffects,
    TornadoRow,
    compare_municipalities,
    compare_scenarios,
    indirect_savings,
    scenario_effects,
    side_by_side,
    tornado,
)
from calc.cross_effects.districts import DistrictKey, distribute

__all__ = [
    "BAND", "LINK_COLUMNS", "MAX_SPECTRAL_RADIUS", "MEASURE_COLUMNS", "THEME_COLUMNS",
    "DistrictKey", "EffectModel", "Link", "Measure", "Scenario", "ScenarioEffects", "Theme",
    "ThemeCatalogue", "TornadoRow",
    "check_effect_matrix", "check_stable", "compare_municipalities", "compare_scenarios",
    "distribute", "effect_path", "indirect_savings", "links_from_rows", "links_to_rows", "load_catalogue",
    "load_links", "load_model", "load_scenarios", "save_scenarios", "scenarios_from_measures", "measures_from_rows", "measures_to_rows", "save_model",
    "scenario_effects", "side_by_side", "spectral_radius", "total_effect", "tornado",
    "years_to_converge",
]
