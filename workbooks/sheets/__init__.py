"""One module per sheet of the begrotingsmodel, each with ``build(wb, ctx)``."""
