"""The report's charts, as inline SVG strings drawn with matplotlib (the ``report`` extra).

Each function takes plain numbers (label shares, counts) and returns an
``<svg>`` element to put in an HTML page. matplotlib is imported when a chart
is drawn, through its object API (no pyplot, no global figure state).
"""
from __future__ import annotations

import io

import numpy as np

from .labels import LABELS

__all__ = ["COLORS", "require_matplotlib", "overall", "over_time", "by_group", "confidence"]

COLORS = {"optimistic": "#0072B2", "critical": "#D55E00", "neutral": "#9A9A9A"}  # colour-blind safe
BAR_DAYS = {"week": 5, "month": 22, "year": 300}  # bar widths on a date axis
TICK_FORMAT = {"week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def require_matplotlib():
    """matplotlib's Figure class, or an ImportError that says how to install it."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError('the report needs matplotlib: pip install "framing[report]"') from None
    return Figure


def _svg(fig) -> str:
    import matplotlib

    buffer = io.StringIO()
    # Text stays text (small, selectable, printed sharp); fixed ids and no date: the same input
    # gives the same file.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "framing"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prologue and doctype: inline SVG in HTML


def _style(ax):
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=9)


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


def _short(text: str, width: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def overall(shares: dict) -> str:
    """One 100% bar: the share of each label (label -> fraction)."""
    fig = require_matplotlib()(figsize=(8, 1.0))
    ax = fig.add_subplot()
    left = 0.0
    for label in LABELS:
        share = shares[label]
        ax.barh([0], [share], left=left, color=COLORS[label], edgecolor="white", height=0.6)
        if share >= 0.08:  # room for the words
            ax.text(left + share / 2, 0, f"{label}\n{share:.0%}", ha="center", va="center", fontsize=9,
                    color="white" if label != "neutral" else "black")
        left += share
    ax.set_xlim(0, 1)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(_percent())
    _style(ax)
    ax.spines["left"].set_visible(False)
    return _svg(fig)


def over_time(starts: list, shares: np.ndarray, totals: list, period: str) -> str:
    """Shares per period as a stacked area (``shares``: labels x periods), and the counts under it."""
    fig = require_matplotlib()(figsize=(9, 4.6))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1], "hspace": 0.08})
    width = BAR_DAYS[period]
    if len(starts) > 1:
        top.stackplot(starts, shares, colors=[COLORS[label] for label in LABELS], labels=LABELS, alpha=0.9)
    else:  # one period: an area needs two points, so one stacked bar
        base = 0.0
        for label, share in zip(LABELS, shares[:, 0]):
            top.bar(starts, [share], bottom=base, color=COLORS[label], label=label, width=width)
            base += share
        from matplotlib.dates import DateFormatter

        top.set_xticks(starts)
        top.set_xlim(starts[0] - 2 * np.timedelta64(width, "D"), starts[0] + 2 * np.timedelta64(width, "D"))
        bottom.xaxis.set_major_formatter(DateFormatter(TICK_FORMAT[period]))
    top.set_ylim(0, 1)
    top.yaxis.set_major_formatter(_percent())
    top.set_ylabel("share of paragraphs", fontsize=9)
    handles, names = top.get_legend_handles_labels()
    # Listed top to bottom as the areas are stacked.
    top.legend(handles[::-1], names[::-1], loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
               fontsize=9)
    bottom.bar(starts, totals, width=width, color="#555555")
    bottom.set_ylabel("paragraphs", fontsize=9)
    for ax in (top, bottom):
        _style(ax)
    fig.autofmt_xdate()
    return _svg(fig)


def by_group(names: list, shares: np.ndarray, totals: list) -> str:
    """A 100% bar per group (``shares``: labels x groups), the first group on top."""
    fig = require_matplotlib()(figsize=(8, 0.42 * len(names) + 1.0))
    ax = fig.add_subplot()
    y = np.arange(len(names))[::-1]
    left = np.zeros(len(names))
    for label, share in zip(LABELS, shares):
        ax.barh(y, share, left=left, color=COLORS[label], label=label, edgecolor="white", height=0.7)
        left += share
    ax.set_yticks(y, [_short(name, 32) for name in names])
    for yi, n in zip(y, totals):
        ax.text(1.01, yi, f"n={n:,}", va="center", fontsize=8, color="#444444")
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_percent())
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, frameon=False, fontsize=9)
    _style(ax)
    return _svg(fig)


def confidence(histogram: np.ndarray, bins: np.ndarray, counts: dict, threshold: float) -> str:
    """One histogram of confidence per label (``histogram``: labels x bins), the threshold dashed."""
    fig = require_matplotlib()(figsize=(9, 2.6))
    axes = fig.subplots(1, len(LABELS), sharey=True)
    for ax, label, row in zip(axes, LABELS, histogram):
        ax.stairs(row, bins, fill=True, color=COLORS[label])
        if threshold > 0:
            ax.axvline(threshold, color="black", linestyle="--", linewidth=1)
        ax.set_title(f"{label} (n={counts[label]:,})", fontsize=10)
        ax.set_xlim(bins[0], bins[-1])
        ax.set_xlabel("confidence", fontsize=9)
        _style(ax)
    axes[0].set_ylabel("paragraphs", fontsize=9)
    return _svg(fig)
