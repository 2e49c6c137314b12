"""Grip application layer: the ``grip`` command line and the jobs it shares with the ribbon.

A job (``grip.jobs``) is what one ribbon button or one command does, without Excel:
read inputs, call the calc core, write a store, a workbook or a report.
"""
