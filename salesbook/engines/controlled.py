"""Controlled rounding of a hierarchy of rows over periods.

Every cell becomes the floor or the ceiling of its exact value, every row adds up to its total, and in
every period a parent is the sum of its children: the company's months, each product line's months as a
row of the company x line x month table, each rep's months as a row of the region x rep x month table,
all at once.

The problem.  Nodes form a forest (company -> product lines -> regions -> reps).  Each node has a total
in whole rounding units (its annual target) and an exact, fractional value per period (its part of the
year in each month).  The exact values add up: each leaf's row totals its target, and in every period a
parent's value is the sum of its children's.  Rounding each cell on its own breaks one or the other.

Why a rounding keeping both always exists.  Write the forest as a network: per period a copy of the tree;
a row vertex per root (supplying the root's total) and per leaf (taking the leaf's total); an arc from a
parent's period to the child's period (for a leaf, into the leaf's row vertex) carrying the child's value
in that period, and one from a root's row vertex to each of its periods.  Conservation at the vertices is
exactly "rows add up" and "a parent is the sum of its children".  Bound every arc by the floor and the
ceiling of its exact value: the exact values are a feasible flow, so by the integrality theorem of network
flows a feasible flow in whole numbers exists.  For one two-way table (one parent, its children and the
periods, margins included) this is the controlled rounding of Bacharach (1966) and of Cox and Ernst (1982),
who solve it as a transportation problem; a tree of such tables is still a network, so the same argument
holds for the whole hierarchy at once.

How it is found.
1. Top down, period by period, each parent's rounded value is shared among its children: every child gets
   the floor of its exact value and the parent's remaining units go one each to the children furthest
   behind their exact running total (cumulative exact minus what they have had so far: the cumulative
   rounding done by hand); ties go to the larger remainder, then to the earlier row.  Roots are rounded
   by largest remainder.  Parents are exact sums by construction, every cell is a floor or a ceiling,
   and most rows already end on their total.
2. Each unit a leaf row is over is moved to a leaf row that is short, along a shortest chain of cells
   that can each move by one unit inside their floor and ceiling (an augmenting path of the network,
   found breadth first).  While any row is off such a chain exists, because the difference between the
   current rounding and a feasible one decomposes into chains of this kind (flow decomposition); each
   step mends one unit, so the repair ends, with every margin exact.

References: M. Bacharach, "Matrix rounding problems", Management Science 12(9), 1966, 732-742;
L. H. Cox and L. R. Ernst, "Controlled rounding", INFOR 20(4), 1982, 423-432; B. D. Causey, L. H. Cox
and L. R. Ernst, "Applications of transportation theory to statistical problems", Journal of the
American Statistical Association 80(392), 1985, 903-909.
"""

from __future__ import annotations

from collections import deque

import numpy as np

EPS = np.finfo(np.float64).eps


class RoundingError(ValueError):
    """Exact values that do not add up to the totals they are said to have."""


def controlled_round(parent: np.ndarray, totals: np.ndarray, exact: np.ndarray) -> np.ndarray:
    """Round a forest of rows: ``parent`` (n,) each node's parent (-1 for a root, parents listed before
    their children), ``totals`` (n,) whole units per row, ``exact`` (n, m) exact values of the leaves'
    rows (rows of nodes with children are ignored: they are the sums of their children's).

    Returns (n, m) whole units: each cell the floor or the ceiling of its exact value (an exact whole
    value stays as it is, a zero stays zero), each row summing to its total, each parent's cell the sum
    of its children's.  A node's total must equal the sum of its children's totals.
    """
    parent = np.asarray(parent, dtype=np.int64)
    totals = np.asarray(totals, dtype=np.int64)
    exact = np.asarray(exact, dtype=np.float64)
    n, m = exact.shape
    if n == 0:
        return np.zeros((0, m), dtype=np.int64)
    if np.any(parent >= np.arange(n)):
        raise RoundingError("parents must be listed before their children")
    kids_count = np.bincount(parent[parent >= 0], minlength=n)
    leaf = kids_count == 0
    child_sum = np.zeros(n, dtype=np.int64)
    np.add.at(child_sum, parent[parent >= 0], totals[parent >= 0])
    if np.any(~leaf & (child_sum != totals)):
        raise RoundingError("a node's total is not the sum of its children's totals")
    depth = np.zeros(n, dtype=np.int64)
    for i in np.flatnonzero(parent >= 0):  # parents come first, so one pass sets every depth
        depth[i] = depth[parent[i]] + 1
    whole, frac, tol = _whole_and_fraction(parent, leaf, depth, exact, totals)
    _check_rows(whole, frac, totals, tol)
    x = _top_down(parent, depth, totals, whole, frac)
    _repair(parent, leaf, totals, whole, frac, x)
    _verify(parent, leaf, totals, whole, frac, x)
    return x


def _verify(parent: np.ndarray, leaf: np.ndarray, totals: np.ndarray, whole: np.ndarray, frac: np.ndarray,
            x: np.ndarray) -> None:
    """The promise, checked before anything is handed back: a broken one is an error, never a result."""
    sums = np.zeros_like(x)
    np.add.at(sums, parent[parent >= 0], x[parent >= 0])
    if (np.any(x.sum(axis=1) != totals) or np.any(sums[~leaf] != x[~leaf]) or np.any(x < whole)
            or np.any(x > whole + (frac > 0))):
        raise RoundingError("no rounding keeps every row and every period")


def round_table(exact: np.ndarray) -> np.ndarray:
    """Controlled rounding of one two-way table: cells to floor or ceiling, row and column totals kept
    where they are whole (and rounded to floor or ceiling where they are not)."""
    exact = np.asarray(exact, dtype=np.float64)
    rows = exact.sum(axis=1)
    totals = np.rint(rows).astype(np.int64)
    if np.any(np.abs(rows - totals) > 8 * EPS * (np.abs(rows) + 1) * exact.shape[1]):
        raise RoundingError("every row of the table must total a whole number")
    parent = np.concatenate([[-1], np.zeros(len(exact), dtype=np.int64)])
    full = np.vstack([exact.sum(axis=0), exact])
    return controlled_round(parent, np.concatenate([[totals.sum()], totals]), full)[1:]


def _snap(whole: np.ndarray, frac: np.ndarray, tol: np.ndarray | float) -> None:
    """Carry whole units out of ``frac`` and treat a hair from a whole number as that number (in place)."""
    carry = np.floor(frac + tol)
    whole += carry.astype(np.int64)
    frac -= carry
    frac[(frac < tol) | (frac < 0)] = 0.0


def _whole_and_fraction(parent: np.ndarray, leaf: np.ndarray, depth: np.ndarray, exact: np.ndarray,
                        totals: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each cell's exact value as whole units + a fraction in [0, 1), parents summed from their children
    in that form (so a company month is not blurred by adding thousands of large floats).

    A leaf's fractions are scaled by a hair (a few ulps of the row) so that they add up to what its row
    lacks in whole units to a precision of 10^-15: a large value carries an error of a few ulps from the
    product that made it, and thousands of such errors would otherwise show in the company's months."""
    n, m = exact.shape
    whole = np.zeros((n, m), dtype=np.int64)
    frac = np.zeros((n, m))
    e = exact[leaf]
    if np.any(~np.isfinite(e)) or np.any(e < 0):
        raise RoundingError("exact values must be finite and not negative")
    w = np.floor(e)
    whole[leaf] = w.astype(np.int64)
    frac[leaf] = e - w
    tol = np.zeros((n, m))
    tol[leaf] = 8 * EPS * (e + 1.0)  # a few ulps of the product that made the value
    lw, lf = whole[leaf], frac[leaf]
    _snap(lw, lf, tol[leaf])
    short = (totals[leaf] - lw.sum(axis=1)).astype(np.float64)
    have = lf.sum(axis=1)
    drift = 64 * EPS * e.sum(axis=1) + 1e-9  # what a row of products can be off by
    close = (have > 0) & (np.abs(have - short) <= drift)
    lf[close] *= (short[close] / have[close])[:, None]
    lf[close] = np.minimum(lf[close], 1 - 4 * EPS)
    lf[close & (short == 0)] = 0.0
    whole[leaf], frac[leaf] = lw, lf
    for d in range(int(depth.max()), 0, -1):
        kids = np.flatnonzero(depth == d)
        np.add.at(whole, parent[kids], whole[kids])
        np.add.at(frac, parent[kids], frac[kids])
        np.add.at(tol, parent[kids], tol[kids])  # a sum is as uncertain as its parts together
        ups = np.unique(parent[kids])
        ups = ups[~leaf[ups]]
        pw, pf = whole[ups], frac[ups]
        _snap(pw, pf, tol[ups] + 1e-12)
        whole[ups], frac[ups] = pw, pf
    return whole, frac, tol


def _check_rows(whole: np.ndarray, frac: np.ndarray, totals: np.ndarray, tol: np.ndarray) -> None:
    short = totals - whole.sum(axis=1)
    free = (frac > 0).sum(axis=1)
    off = np.abs(frac.sum(axis=1) - short) > 2 * tol.sum(axis=1) + 1e-9
    if np.any((short < 0) | (short > free) | off):
        raise RoundingError("the exact values of a row do not add up to its total")


def _top_down(parent: np.ndarray, depth: np.ndarray, totals: np.ndarray, whole: np.ndarray,
              frac: np.ndarray) -> np.ndarray:
    m = whole.shape[1]
    x = whole.copy()
    roots = np.flatnonzero(parent < 0)
    _largest_remainder_rows(x, roots, totals, whole, frac)
    for d in range(1, int(depth.max()) + 1):
        kids = np.flatnonzero(depth == d)
        kids = kids[np.argsort(parent[kids], kind="stable")]
        ups, group = np.unique(parent[kids], return_inverse=True)
        size = np.bincount(group)
        start = np.concatenate([[0], np.cumsum(size)[:-1]])
        behind = np.zeros(len(kids))
        for j in range(m):
            f = frac[kids, j]
            need = x[ups, j] - np.bincount(group, weights=whole[kids, j], minlength=len(ups)).astype(np.int64)
            # furthest behind first (to 6 places), then the larger remainder (to 9), then the earlier row (a
            # stable sort), as one integer key that cannot overflow
            ahead = np.rint((np.clip(behind + f, -1000, 1000) + 1000) * 1e6).astype(np.int64)
            key = ahead * (2**30) + np.rint(f * 1e9).astype(np.int64)
            order = np.lexsort((np.where(f > 0, -key, 1), group))
            rank = np.empty(len(kids), dtype=np.int64)
            rank[order] = np.arange(len(kids)) - start[group[order]]
            up = (rank < need[group]) & (f > 0)
            x[kids, j] = whole[kids, j] + up
            behind += f - up
    return x


def _largest_remainder_rows(x: np.ndarray, rows: np.ndarray, totals: np.ndarray, whole: np.ndarray,
                            frac: np.ndarray) -> None:
    """Each of ``rows`` to its total: floors, then one unit to each of the largest fractions."""
    m = x.shape[1]
    need = totals[rows] - whole[rows].sum(axis=1)
    f = np.round(frac[rows], 9)  # fractions equal to 9 places are a tie (sums of floats differ in the last bits)
    # ties of equal fractions: the larger exact value, then the earlier period
    keys = np.lexsort((np.broadcast_to(np.arange(m), f.shape).ravel(), -whole[rows].ravel(),
                       np.where(f > 0, -f, np.inf).ravel(), np.repeat(np.arange(len(rows)), m)))
    order = (keys % m).reshape(len(rows), m)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(m), order.shape).copy(), axis=1)
    x[rows] = whole[rows] + ((rank < need[:, None]) & (frac[rows] > 0))


def _repair(parent: np.ndarray, leaf: np.ndarray, totals: np.ndarray, whole: np.ndarray, frac: np.ndarray,
            x: np.ndarray) -> None:
    """Move single units from rows that are over to rows that are short along shortest augmenting paths."""
    n, m = x.shape
    over = np.where(leaf, x.sum(axis=1) - totals, 0)
    if not over.any():
        return
    movable = frac > 0
    kids = np.flatnonzero(parent >= 0)
    kids = kids[np.argsort(parent[kids], kind="stable")]
    first = np.searchsorted(parent[kids], np.arange(n), side="left")
    last = np.searchsorted(parent[kids], np.arange(n), side="right")
    # vertices: a node's row (id = node) and an internal node's period (id = n + node * m + j)
    for src in np.flatnonzero(over > 0):
        while over[src] > 0:
            # the roots' periods move only when nothing below them can: the top keeps its largest-remainder
            # split whenever some rounding of the rows beneath fits it
            found = _find_path(src, parent, leaf, over, movable, whole, x, kids, first, last, n, m, False) or \
                _find_path(src, parent, leaf, over, movable, whole, x, kids, first, last, n, m, True)
            if found is None:  # cannot happen for consistent input (see the module docstring)
                raise RoundingError("no rounding keeps every row and every period")
            moves, end = found
            for node, j, step in moves:
                x[node, j] += step
            over[src] -= 1
            over[end] += 1


def _find_path(src: int, parent: np.ndarray, leaf: np.ndarray, over: np.ndarray, movable: np.ndarray,
               whole: np.ndarray, x: np.ndarray, kids: np.ndarray, first: np.ndarray, last: np.ndarray,
               n: int, m: int, roots: bool) -> tuple[list[tuple[int, int, int]], int] | None:
    """Breadth-first search from an over row to a short one; returns the cell moves (node, period, +-1).

    A unit leaving a leaf row lowers one of its cells (which must be at its ceiling) and arrives at the
    parent's period; there it raises a child's cell (which must be at its floor), or lowers the parent's
    own cell and climbs; at a root it lowers the root's cell into the root's row, from which it raises
    another period of the root.  Arriving at a leaf row that is short ends the path.
    """
    came: dict[int, tuple[int, int, int, int]] = {src: (-1, -1, -1, 0)}
    queue = deque([src])
    while queue:
        v = queue.popleft()
        steps: list[tuple[int, int, int, int]] = []  # (next vertex, node, period, +-1)
        if v < n and leaf[v]:  # a leaf row gives a unit back from one of its periods
            p = parent[v]
            for j in range(m):
                if movable[v, j] and x[v, j] > whole[v, j]:
                    steps.append((n + p * m + j, v, j, -1))
        elif v < n:  # a root's row places its unit in one of its periods
            for j in range(m):
                if movable[v, j] and x[v, j] == whole[v, j]:
                    steps.append((n + v * m + j, v, j, +1))
        else:
            p, j = divmod(v - n, m)
            for c in kids[first[p]:last[p]]:
                if movable[c, j] and x[c, j] == whole[c, j]:
                    steps.append((c if leaf[c] else n + c * m + j, c, j, +1))
            q = parent[p]
            if movable[p, j] and x[p, j] > whole[p, j] and (q >= 0 or roots):
                steps.append((p if q < 0 else n + q * m + j, p, j, -1))
        for w, node, j, step in steps:
            if w in came:
                continue
            came[w] = (v, node, j, step)
            if w < n and leaf[w] and over[w] < 0:
                end, moves = w, []
                while w != src:
                    prev, node, j, step = came[w]
                    moves.append((node, j, step))
                    w = prev
                return moves[::-1], end
            queue.append(w)
    return None
