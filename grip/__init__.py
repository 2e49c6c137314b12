"""Grip application layer: the ``grip`` command line and the jobs it shares with the ribbon.

A job (``grip.jobs``) is what one ribbon button or one command does, without Excel:
read inputs, call the calc core, write a store, a workbook or a report.
"""


def main() -> None:
    """What the add-in template's own ribbon callback runs (``import grip; grip.main()``):
    the button "Werkmap controleren", which works before the one-time VBA import."""
    from grip.buttons import run_from_excel

    run_from_excel("grip_controleren")
