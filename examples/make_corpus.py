"""Build examples/corpus.csv: paragraphs of our own training corpus, with made-up outlets and dates.

The paragraphs and their gold labels come unchanged from ``training_data/``
(hand-written by the framing team), so accuracy measured on this file says
nothing about accuracy on new text. The outlets, their leanings, the dates and
the trend over time are invented here, so that the example report has
something to show. Deterministic: run it again and the file is the same.

    python examples/make_corpus.py
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRAINING_DATA = HERE.parent / "training_data"
OUT = HERE / "corpus.csv"
ROWS = 480
SEED = 14
# Press-like genres and paragraph forms only (no forum posts, vendor pages or headlines).
GENRES = {"regional_daily", "national_daily", "agency_dispatch", "tech_site", "business_press", "opinion",
          "interview"}
FORMS = {"short", "medium", "long"}
# Fictional outlets: share of the paragraphs each publishes, and its leaning
# (weights of optimistic, critical, neutral paragraphs).
OUTLETS = {
    "Le Courrier du Numérique": (0.25, (0.45, 0.20, 0.35)),
    "L'Éclaireur": (0.20, (0.15, 0.50, 0.35)),
    "La Gazette de l'Ouest": (0.20, (0.20, 0.25, 0.55)),
    "Tech & Société Hebdo": (0.15, (0.55, 0.15, 0.30)),
    "Le Quotidien Alpin": (0.20, (0.30, 0.30, 0.40)),
}
START, END = dt.date(2024, 1, 1), dt.date(2026, 6, 30)
LABELS = ("optimistic", "critical", "neutral")


def read_pool() -> dict[str, list[dict]]:
    pool = {label: [] for label in LABELS}
    for path in sorted(TRAINING_DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("genre") in GENRES and record.get("form") in FORMS:
                pool[record["label"]].append(record)
    return pool


def main() -> None:
    rng = random.Random(SEED)
    pool = read_pool()
    for records in pool.values():
        rng.shuffle(records)
    names = list(OUTLETS)
    days = (END - START).days
    rows = []
    for _ in range(ROWS):
        outlet = rng.choices(names, weights=[OUTLETS[n][0] for n in names])[0]
        date = START + dt.timedelta(days=rng.randrange(days + 1))
        # Invented trend: the critical share grows over the 30 months, the optimistic one shrinks.
        progress = (date - START).days / days
        optimistic, critical, neutral = OUTLETS[outlet][1]
        weights = (optimistic * (1.4 - 0.8 * progress), critical * (0.5 + 1.0 * progress), neutral)
        label = rng.choices(LABELS, weights=weights)[0]
        record = pool[label].pop()
        rows.append((date.isoformat(), outlet, record.get("topic", ""), record["text"], label))
    rows.sort(key=lambda row: row[0])
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["id", "date", "outlet", "section", "text", "gold"])
        for n, row in enumerate(rows, 1):
            writer.writerow([f"p{n:04d}", *row])
    print(f"{OUT}: {len(rows)} paragraphs")


if __name__ == "__main__":
    main()
