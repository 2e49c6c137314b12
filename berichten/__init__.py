"""Berichtenverkeer: iJw/iWmo 3.2 messages and exports into the local store, and the synthetic municipality."""
