"""Sheet-shaped output tables: the fixed-size rows a sheet and its ribbon button write.

A button writes into a named range of fixed size, and a builder fills the same range, so both
take their rows from here: ``prognose`` (year-end, providers, monthly chart data, look-back),
``gripniveau`` (the measured KPIs), ``scenario`` (the Monte Carlo band table). The calc core
returns results; the headers, Dutch labels, hints and fixed sizes of the tables live here.
They are placed in their range by ``addin.convert.fixed_rows``, the one fixed-rows helper
(in ``addin`` because a UDF's output range needs it too, e.g. ``SD_GRIPAGENDA``).
"""
