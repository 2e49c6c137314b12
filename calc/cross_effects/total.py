"""Total cross-theme effect (dwarsverbanden) of a structural shock.

The effect matrix ``A`` holds in ``A[i, j]`` the direct change in theme ``i`` (row) per
euro change in theme ``j`` (column, the source). A structural shock ``s`` (euro per year)
moves theme ``j``; that change moves other themes, which move others again, and so on.
When every round is smaller than the one before (spectral radius of ``A`` below 1) the
rounds add up to the total effect

    x = s + A s + A^2 s + ... = (I - A)^-1 s.

When the spectral radius is 1 or more the rounds do not die out; the inverse may still
exist numerically but then describes nothing real, so we refuse.
"""

from __future__ import annotations

import numpy as np

from calc.errors import InputError, ModelError, Problem, raise_if
from calc.text import nl_number

#: Largest spectral radius we accept; beyond this the series converges too slowly to trust.
MAX_SPECTRAL_RADIUS = 1.0 - 1e-9
#: Most themes an effect matrix or catalogue may have. With ``model.MAX_LAG`` this bounds the
#: year-on-year check (a companion matrix of at most 30 x 10 = 300 rows: well under a second;
#: 400 rows measured 2,4 s on a loaded 2-core machine).
MAX_THEMES = 30


def spectral_radius(matrix: np.ndarray) -> float:
    """Largest absolute eigenvalue of a square matrix.

    >>> spectral_radius(np.array([[0.0, 0.5], [0.5, 0.0]]))
    0.5
    """
    if matrix.size == 0:
        return 0.0
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


def check_effect_matrix(matrix: np.ndarray, *, argument: str = "matrix") -> np.ndarray:
    """Validate an effect matrix: square, finite numbers. Returns it as float array.

    Raises
    ------
    InputError
        Naming the argument and, for a non-finite value, its row and column.
    """
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        shape = " x ".join(str(n) for n in a.shape) or "1"
        raise InputError(f"de matrix moet vierkant zijn (N x N), maar is {shape}", argument=argument)
    if a.shape[0] == 0:
        raise InputError("de matrix is leeg", argument=argument)
    if a.shape[0] > MAX_THEMES:
        raise InputError(f"de matrix heeft {a.shape[0]} thema's, meer dan de grens van "
                         f"{MAX_THEMES}", argument=argument)
    bad = np.argwhere(~np.isfinite(a))
    raise_if([Problem("waarde is geen eindig getal", argument, int(r), int(c)) for r, c in bad])
    return a


def check_stable(matrix: np.ndarray, *, argument: str = "matrix") -> float:
    """Refuse an effect matrix whose effects do not die out (spectral radius >= 1).

    Returns the spectral radius when it is below 1.
    """
    rho = spectral_radius(matrix)
    if not rho < MAX_SPECTRAL_RADIUS:
        # an effect of 10 where 10 % (0,1) was meant is the usual cause: name the cell
        big = np.argwhere(np.abs(np.asarray(matrix, dtype=float)) >= 1)
        why = ("dus elke ronde doorwerking is minstens zo groot als de vorige en een "
               "totaaleffect bestaat niet")
        if len(big):
            r, c = (int(x) for x in big[0])
            shown = nl_number(float(matrix[r][c]), 3).rstrip("0").rstrip(",")
            # the cell only where the matrix is the user's range itself (not built from links)
            where = f"rij {r + 1}, kolom {c + 1} is {shown}" if argument == "matrix" else \
                f"een verband heeft {shown}"
            why = (f"{where}: een effect van 1 euro of meer per euro. Staat er een percentage "
                   "als heel getal (10 voor 10% = 0,1)?")
        raise ModelError(
            f"de effecten doven niet uit: de spectraalstraal van de matrix is {nl_number(rho, 3)} "
            f"(moet kleiner zijn dan 1); {why}", argument=argument)
    return rho


def total_effect(matrix: np.ndarray, shock: np.ndarray) -> np.ndarray:
    """Total change per theme after a structural shock, including the shock itself.

    Parameters
    ----------
    matrix : array_like, shape (N, N)
        ``A[i, j]``: direct change in theme ``i`` per euro change in theme ``j``.
    shock : array_like, shape (N,)
        Structural change per theme in euro per year.

    Returns
    -------
    numpy.ndarray, shape (N,)
        ``(I - A)^-1 s`` in euro per year.

    Raises
    ------
    InputError
        A non-square matrix, a shock of the wrong length, a value that is not finite.
    ModelError
        Spectral radius of ``A`` is 1 or more.

    Examples
    --------
    Miller & Blair (2009), *Input-Output Analysis*, section 2.3: two sectors,
    A = [[.15, .25], [.20, .05]] and final demand (600, 1500):

    >>> total_effect([[0.15, 0.25], [0.20, 0.05]], [600, 1500]).round(2)
    array([1247.52, 1841.58])
    """
    a = check_effect_matrix(matrix)
    s = np.asarray(shock, dtype=float).reshape(-1)
    if s.shape[0] != a.shape[0]:
        raise InputError(
            f"de schok heeft {s.shape[0]} waarden, maar de matrix heeft {a.shape[0]} thema's",
            argument="schok",
        )
    bad = np.flatnonzero(~np.isfinite(s))
    raise_if([Problem("waarde is geen eindig getal", "schok", int(i), None) for i in bad])
    check_stable(a)
    return np.linalg.solve(np.eye(a.shape[0]) - a, s)
