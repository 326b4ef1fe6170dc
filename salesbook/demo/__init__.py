"""A realistic, deterministic demo sales book.

Core tables (products, regions, reps, history, deals ...) come from ``core``; each engine's module in
this package adds its own tables through ``generate(ctx)``.  Everything is drawn from one seeded
``numpy.random.Generator`` per module, so the same seed and scale give the same book byte for byte.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class DemoContext:
    lang: str = "en"
    scale: float = 1.0
    seed: int = 20260101
    fiscal_year: int = 2026
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def rng(self, salt: str) -> np.random.Generator:
        """A generator per module, so adding rows in one module never shifts another's data."""
        return np.random.default_rng([self.seed, *salt.encode()])

    def scaled(self, n: int, minimum: int = 1) -> int:
        return max(minimum, round(n * self.scale))


def _modules() -> list:
    mods = []
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(mod, "generate"):
            mods.append(mod)
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def build_demo_tables(lang: str = "en", scale: float = 1.0, seed: int = 20260101) -> dict[str, pd.DataFrame]:
    ctx = DemoContext(lang=lang, scale=scale, seed=seed)
    for mod in _modules():
        ctx.tables.update(mod.generate(ctx))
    return ctx.tables
