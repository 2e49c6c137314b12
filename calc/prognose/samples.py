"""Published claim triangles, for examples, tests and the demo.

* ``TAYLOR_ASHE_INCREMENTAL``: Taylor, G.C. and Ashe, F.R. (1983), J. Econometrics 23; the
  "GenIns" triangle of Mack (1993), ASTIN Bulletin 23(2), 213-225.
* ``RAA``: Reinsurance Association of America, cumulative; used in Mack (1994), CAS Forum.

Rows are origin years (oldest first), columns development years; ``square`` pads the
published ragged rows with NaN.

>>> square(RAA).shape
(10, 10)
"""

from __future__ import annotations

import numpy as np

#: Taylor-Ashe, incremental, accident years 1..10 (rows) x development years 1..10.
TAYLOR_ASHE_INCREMENTAL = [
    [357848, 766940, 610542, 482940, 527326, 574398, 146342, 139950, 227229, 67948],
    [352118, 884021, 933894, 1183289, 445745, 320996, 527804, 266172, 425046],
    [290507, 1001799, 926219, 1016654, 750816, 146923, 495992, 280405],
    [310608, 1108250, 776189, 1562400, 272482, 352053, 206286],
    [443160, 693190, 991983, 769488, 504851, 470639],
    [396132, 937085, 847498, 805037, 705960],
    [440832, 847631, 1131398, 1063269],
    [359480, 1061648, 1443370],
    [376686, 986608],
    [344014],
]

#: RAA, cumulative, 1981..1990.
RAA = [
    [5012, 8269, 10907, 11805, 13539, 16181, 18009, 18608, 18662, 18834],
    [106, 4285, 5396, 10666, 13782, 15599, 15496, 16169, 16704],
    [3410, 8992, 13873, 16141, 18735, 22214, 22863, 23466],
    [5655, 11555, 15766, 21266, 23425, 26083, 27067],
    [1092, 9565, 15836, 22169, 25955, 26180],
    [1513, 6445, 11702, 12935, 15852],
    [557, 4020, 10946, 12314],
    [1351, 6947, 13112],
    [3133, 5395],
    [2063],
]


def square(rows: list[list[float]]) -> np.ndarray:
    """Ragged published rows as a square array with NaN for the unknown cells."""
    n = len(rows)
    return np.array([list(map(float, r)) + [np.nan] * (n - len(r)) for r in rows])
