"""The work behind a command or a ribbon button, free of Excel and argparse.

Contract for a ribbon button's job (``grip/jobs/<engine>.py``)::

    INPUT_NAMES: tuple[str, ...]   # named ranges (workbooks.layout) the button reads
    OUTPUT_NAMES: tuple[str, ...]  # named ranges it writes: its own output tables only

    def run_button(inputs: dict[str, list[list]]) -> dict[str, list[list]]:
        '''inputs: named range -> 2-D values as Excel hands them over (rows of cells,
        None for empty); returns named range -> 2-D values that fit that fixed range.'''

``addin.macros`` reads the inputs (through xlwings in Excel, through openpyxl headless),
calls ``run_button`` and writes the outputs; it never touches user input cells.
"""
