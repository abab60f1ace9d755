"""Numbers as people read them, one formatter each, for every renderer."""

from __future__ import annotations

import math


def num(x: float | None, digits: int = 3) -> str:
    """``0.954``, or ``n/a`` for a metric that could not be computed."""
    return "n/a" if x is None else f"{x:.{digits}f}"


def pct(x: float | None, digits: int = 1) -> str:
    """``12.5%``, or ``n/a``."""
    return "n/a" if x is None else f"{x:.{digits}%}"


MINUS = "\u2212"


def signed(value: float, digits: int = 3) -> str:
    """``+0.751`` / ``−0.420`` with a true minus sign."""
    text = f"{value:+.{digits}f}"
    return text.replace("-", MINUS) if not text.startswith("+") else text


def probability(p: float) -> str:
    """A percentage that never rounds to a false 0% or 100%: extreme values keep 2 digits."""
    if 0.001 <= p <= 0.999:
        return f"{100 * p:.1f}%"
    tail = min(p, 1.0 - p)
    if tail <= 0.0:
        return "100%" if p >= 0.5 else "0%"
    decimals = min(max(-math.floor(math.log10(100 * tail)) + 1, 1), 14)
    return f"{100 * p:.{decimals}f}%"
