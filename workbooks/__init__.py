"""Workbooks: the begrotingsmodel built with openpyxl, and its headless recalculation.

``layout`` names every sheet and named range (the add-in imports it too); ``style`` holds
Dutch number formats and cell helpers; ``begrotingsmodel`` assembles the sheets of
``workbooks.sheets``; ``recalc`` evaluates a saved workbook with the ``formulas`` engine and
every ``SD_`` UDF registered; ``files`` saves deterministically.
"""
