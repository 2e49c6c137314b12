"""Meerjarenbegroting: baseline lasten, baten under the 2026 cliff, measures and the chance of
a closing budget (DOMAIN.md 2.4).

- ``years``: the horizon and ``per_year`` (one number, a list or a mapping per year).
- ``baseline``: lasten per taakveld and theme, indexed for wages, prices and volume.
- ``income``: algemene uitkering, the gemeentefonds cut and the Hervormingsagenda as scenarios.
- ``chance``: the exact chance that independent triangular savings cover a gap.
- ``measures``: measures, the result per year and the Monte Carlo band of the saldo.
- ``business_case``: an opgave's investment, savings and payback year.
"""
