"""Prognose: late claims, commitments, utilisation and the year-end forecast."""
