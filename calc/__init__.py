"""Grip calc core: pure computations for the sociaal domein.

Nothing in this package knows about Excel, openpyxl, xlwings or the message store;
it takes numbers and named structures and returns numbers and named structures.
"""
