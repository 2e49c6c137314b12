"""``grip werkmap bijwerken``: move a begrotingsmodel to the current template version,
keeping every user input (and the tables the ribbon buttons wrote), after a backup.

Refuses, changing nothing, when: the workbook is not a Grip begrotingsmodel; it has sheets
the template does not have; an input has no place in the new template; or the backup cannot
be written (an existing file is never overwritten).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from calc.errors import InputError, Problem
from workbooks.files import save
from workbooks import layout
from workbooks.template import (apply_user_values, changed_cells, is_output_name, moved_inputs,
                                named_cells, shape_of, template_version, user_values)

from grip.jobs.waarden import context_of, template_copy


@dataclass(frozen=True)
class Update:
    path: Path
    backup: Path
    old_version: str
    carried: int
    #: Output tables whose shape changed in the new template: left empty (press the button
    #: again), because their old columns no longer mean the same (one that only moved is
    #: carried to its new place).
    emptied: tuple[str, ...] = ()


def backup_path(path: Path, version: str) -> Path:
    """A free file name for the backup beside ``path`` (never an existing file)."""
    base = path.with_name(f"{path.stem}.reservekopie-v{version}{path.suffix}")
    candidate, k = base, 2
    while candidate.exists():
        candidate = base.with_name(f"{path.stem}.reservekopie-v{version}-{k}{path.suffix}")
        k += 1
    return candidate


def update_workbook(path: str | Path, *, backup: str | Path | None = None) -> Update:
    from workbooks.safety import open_workbook

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"{path.name}: alleen een .xlsx-begrotingsmodel kan worden bijgewerkt",
                         argument="werkmap")
    wb = open_workbook(path)
    if layout.NAME_VALUES_COPY in wb.defined_names:
        raise InputError(f"{path.name} is een kopie met alleen waarden (Deel als waarden); "
                         "die wordt niet bijgewerkt: werk het begrotingsmodel zelf bij en maak "
                         "daarna een nieuwe kopie", argument="werkmap")
    version = template_version(wb)
    if version is None:
        raise InputError(f"{path.name} is geen begrotingsmodel van Grip (de naam grip_versie "
                         "ontbreekt)", argument="werkmap")
    ctx = context_of(wb)
    new = template_copy(ctx.municipality, ctx.budget_year)
    extra = [s for s in wb.sheetnames if s not in new.sheetnames]
    if extra:
        raise InputError(f"{path.name} heeft bladen die het sjabloon niet kent: "
                         f"{', '.join(extra)}; Grip neemt die niet mee. Verplaats ze eerst naar "
                         "een eigen werkmap.", argument="werkmap")
    if version == layout.TEMPLATE_VERSION:
        changed = changed_cells(wb, new)
        if changed:
            cells = ", ".join(f"{s}!{a}" for s, a in changed[:10])
            raise InputError(f"{path.name} heeft al de nieuwste sjabloonversie en is buiten de "
                             f"gele cellen gewijzigd ({cells}); bijwerken zou dat wissen.",
                             argument="werkmap")
    values = user_values(wb)
    moved = moved_inputs(wb, new)       # a named block the new template placed elsewhere
    values = {moved.get(key, key): value for key, value in values.items()}
    emptied = reshaped_outputs(wb, new)
    drop = {key for name in emptied for key in named_cells(wb, name)}
    values = {key: value for key, value in values.items() if key not in drop}
    missing = apply_user_values(new, values)
    if missing:
        problems = [Problem(f"invoer op {s}!{a} heeft in het nieuwe sjabloon geen plek",
                            argument="werkmap") for s, a in missing]
        raise InputError.from_problems(problems[:20])
    _print_carried(new)
    target = keep_backup(path, version, target=backup)
    save(new, path)
    return Update(path, target, version, sum(v is not None for v in values.values()),
                  tuple(emptied))


def _print_carried(wb) -> None:
    """A button's table carried into the new template prints, as after the button itself
    (``OpenpyxlBook.write``): the template's print area ends above an empty table."""
    from workbooks.printing import cover_written

    for name in wb.defined_names:
        if not is_output_name(name):
            continue
        cells = [wb[sheet][address] for sheet, address in named_cells(wb, name)]
        filled = [c for c in cells if c.value not in (None, "")]
        if filled:
            cover_written(filled[0].parent, max(c.column for c in cells),
                          max(c.row for c in filled))


def reshaped_outputs(old, new) -> list[str]:
    """The ``grip_uit_*`` tables whose size differs between two workbooks (one that only
    moved, with its shape, is carried: ``moved_inputs``)."""
    names = [n for n in new.defined_names if is_output_name(n)]
    return sorted(n for n in names if named_cells(old, n) and (
        shape_of(old, n) != shape_of(new, n)
        or shape_of(new, n) is None and named_cells(old, n) != named_cells(new, n)))


def keep_backup(path: Path, version: str, *, target: str | Path | None = None) -> Path:
    """Copy ``path`` to a backup (``backup_path`` unless ``target`` is given) and verify it
    byte for byte; refuses an existing target. Nothing is changed when this raises."""
    target = Path(target) if target else backup_path(path, version)
    if target.exists():
        raise InputError(f"reservekopie {target} bestaat al; Grip overschrijft niets",
                         argument="reservekopie")
    shutil.copyfile(path, target)
    if target.read_bytes() != path.read_bytes():
        raise InputError(f"reservekopie {target} is niet gelijk aan het origineel; "
                         "de werkmap is niet gewijzigd", argument="reservekopie")
    return target
