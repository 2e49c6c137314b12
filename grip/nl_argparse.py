"""argparse speaking Dutch: its own messages ("usage:", "required") in the user's language."""

from __future__ import annotations

import argparse

_DUTCH = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulp en stop",
    "the following arguments are required: %s": "deze argumenten ontbreken: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "invalid %(type)s value: %(value)r": "ongeldige waarde: %(value)r",
    "expected one argument": "verwacht één waarde",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
}


def _translate(text: str) -> str:
    return _DUTCH.get(text, text)


argparse._ = _translate  # argparse looks its messages up through this name


class ArgumentParser(argparse.ArgumentParser):
    """An ``argparse.ArgumentParser`` whose messages are Dutch. Called without its command
    (``grip``, ``grip werkmap``) it shows the commands to choose from, not only that one is
    missing: a new user's first call."""

    def error(self, message: str):
        subcommands = [a for a in self._actions if isinstance(a, argparse._SubParsersAction)]
        missing = [a.metavar for a in subcommands if a.metavar and a.metavar in message]
        if missing:
            import sys

            self.print_help(sys.stderr)
            example = " (bijvoorbeeld: grip demo)" if self.prog == "grip" else ""
            self.exit(2, f"\n{self.prog}: kies een van de {_PLURAL.get(missing[0], missing[0])} "
                         f"hierboven{example}.\n")
        super().error(message)


#: The plural of a command line's metavar, for "kies een van de ...".
_PLURAL = {"OPDRACHT": "opdrachten", "ACTIE": "acties"}
