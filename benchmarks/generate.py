"""Synthetic datasets of N partner cities and partnerships, with realistic field sizes.

The shapes and sizes follow the canonical Leiden dataset: Dutch and English descriptions of one to
three sentences, a history of two or three milestones (most known to the day), one or two
themes, a foundation and a contact person for every other tie, one to two activities per tie,
institutions, sources and a few discrepancies. The output is deterministic for a given N and
seed, and is a valid dataset file (``leiden-twinning validate`` accepts it).

    python benchmarks/generate.py 10000 --output synthetic-10000.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

SEED = 20261128
REVISION = "2026-11-28"

_SYLLABLES = [
    "ka", "ro", "mi", "len", "dor", "va", "sen", "bur", "ha", "ven", "lis", "to", "mar",
    "stad", "berg", "wijk", "ford", "ton", "ville", "ga", "ru", "nó", "sa", "ki", "ń", "ü",
]  # fmt: skip
_COUNTRIES = ["DE", "GB", "PL", "JP", "ZA", "NI", "FR", "BE", "US", "ES", "IT", "SE", "TR", "MA"]
_WORDS_NL = (  # noqa: SIM905 - prose reads better than a list of words
    "de stad werkt samen met haar partner aan onderwijs cultuur en duurzame ontwikkeling "
    "sinds de eerste contacten bezoeken delegaties elkaar en wisselen scholen leerlingen uit "
    "de stichting organiseert elk jaar een uitwisseling van jongeren kunstenaars en sporters"
).split()
_WORDS_EN = (  # noqa: SIM905 - prose reads better than a list of words
    "the city works with its partner on education culture and sustainable development "
    "since the first contacts delegations visit each other and schools exchange pupils "
    "the foundation organises a yearly exchange of young people artists and athletes"
).split()
_THEMES = [
    "education", "sustainable_development", "economic_development", "culture", "sport",
    "commemoration", "research", "heritage", "museums", "water_management", "civic_exchange",
]  # fmt: skip
_ACTIVITY_KINDS = ["exchange", "visit", "delegation", "project", "exhibition", "student_exchange"]
_GIVEN = ["Anna", "Jan", "Marjan", "Piet", "Sanne", "Kenji", "Zofia", "Thabo", "Emma", "Lucas"]
_FAMILY = ["Jonge", "Vries", "Bakker", "Visser", "Smit", "Tanaka", "Nowak", "Dlamini", "Meijer"]
_PREFIXES = [None, None, None, "de", "van", "van der"]


def _sentence(rng: random.Random, words: list[str], low: int, high: int) -> str:
    chosen = [rng.choice(words) for _ in range(rng.randint(low, high))]
    return " ".join(chosen).capitalize() + "."


def _text(rng: random.Random, sentences: tuple[int, int] = (1, 3)) -> dict[str, str]:
    count = rng.randint(*sentences)
    return {
        "nl": " ".join(_sentence(rng, _WORDS_NL, 10, 22) for _ in range(count)),
        "en": " ".join(_sentence(rng, _WORDS_EN, 10, 22) for _ in range(count)),
    }


def _name(rng: random.Random, i: int) -> str:
    stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
    return f"{stem.capitalize()} {i}"


def _date(rng: random.Random, first: int, last: int, precision: str = "day") -> str:
    year = rng.randint(first, last)
    if precision == "year":
        return f"{year:04d}"
    month = rng.randint(1, 12)
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"


def generate(n: int, seed: int = SEED) -> dict[str, Any]:
    """A dataset document with *n* partner cities and *n* partnerships."""
    rng = random.Random(seed)
    n_sources = max(1, n // 10)
    sources = [
        {
            "id": f"source-{i}",
            "title": f"Stedenbanden en internationale samenwerking, deel {i}",
            "url": f"https://example.org/stedenbanden/{i}/",
            "publisher": "Gemeente Leiden",
            "date": _date(rng, 2000, 2026, rng.choice(["year", "month", "day"])),
        }
        for i in range(n_sources)
    ]

    def cite() -> list[str]:
        return [f"source-{rng.randrange(n_sources)}"]

    cities: list[dict[str, Any]] = [
        {
            "id": "home",
            "name": "Leiden",
            "country": "NL",
            "description": _text(rng),
            "region": {"nl": "Zuid-Holland", "en": "South Holland"},
            "population": {"value": 125000, "approximate": True},
            "coordinates": {"latitude": 52.16, "longitude": 4.49},
            "wikidata": "Q43631",
            "sources": cite(),
        }
    ]
    partnerships: list[dict[str, Any]] = []
    foundations: list[dict[str, Any]] = []
    institutions: list[dict[str, Any]] = [
        {
            "id": "municipality",
            "name": "Gemeente Leiden",
            "kind": "municipality",
            "city": "home",
            "website": "https://example.org/",
        }
    ]
    contacts: list[dict[str, Any]] = []
    activities: list[dict[str, Any]] = []
    for i in range(n):
        city_id, tie = f"city-{i}", f"tie-{i}"
        city: dict[str, Any] = {
            "id": city_id,
            "name": _name(rng, i),
            "country": rng.choice(_COUNTRIES),
            "description": _text(rng),
            "population": {"value": rng.randint(5_000, 3_000_000)},
            "coordinates": {
                "latitude": round(rng.uniform(-60, 70), 4),
                "longitude": round(rng.uniform(-170, 170), 4),
            },
            "wikidata": f"Q{rng.randint(1, 10**7)}",
            "sources": cite(),
        }
        if rng.random() < 0.3:
            city["aliases"] = [_name(rng, i)]
        cities.append(city)
        first = rng.randint(1946, 2015)
        kind = rng.choice(["twinning", "twinning", "friendship"])
        history: list[dict[str, Any]] = []
        if rng.random() < 0.5:
            history.append(
                {
                    "date": _date(rng, first - 3, first - 1, "month"),
                    "kind": "first_contact",
                    "description": _text(rng, (1, 1)),
                    "sources": cite(),
                }
            )
        history.append(
            {
                "date": _date(rng, first, first, rng.choice(["day", "day", "day", "year"])),
                "kind": "signed",
                "description": _text(rng, (1, 2)),
                "partnership_kind": kind,
                "signatories": [{"name": f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}",
                                 "role": {"nl": "burgemeester", "en": "mayor"},
                                 "organisation": "municipality"}],
                "place": "Leiden",
                "sources": cite(),
            }
        )  # fmt: skip
        if kind == "friendship" and rng.random() < 0.5:
            history.append(
                {
                    "date": _date(rng, first + 2, 2025),
                    "kind": "kind_changed",
                    "description": _text(rng, (1, 1)),
                    "partnership_kind": "twinning",
                }
            )
        partnerships.append(
            {
                "id": tie,
                "city": city_id,
                "description": _text(rng, (2, 4)),
                "history": history,
                "themes": rng.sample(_THEMES, rng.randint(1, 3)),
                "sources": cite(),
            }
        )
        if i % 2 == 0:
            foundation = f"foundation-{i}"
            foundations.append(
                {
                    "id": foundation,
                    "name": f"Stichting Stedenband Leiden-{city['name']}",
                    "partnership": tie,
                    "description": _text(rng, (1, 2)),
                    "website": f"https://example.org/foundation/{i}/",
                    "sources": cite(),
                }
            )
            person: dict[str, Any] = {
                "id": f"contact-{i}",
                "role": {"nl": "secretaris", "en": "secretary"},
                "organisation": foundation,
                "partnerships": [tie],
                "name": {"given": rng.choice(_GIVEN), "family": rng.choice(_FAMILY)},
                "email": f"contact{i}@example.org",
                "phone": f"+3171{rng.randint(1_000_000, 9_999_999)}",
                "as_of": "2013",
                "sources": cite(),
            }
            prefix = rng.choice(_PREFIXES)
            if prefix:
                person["name"]["prefix"] = prefix
            contacts.append(person)
        if i % 2 == 1:
            institutions.append(
                {
                    "id": f"institution-{i}",
                    "name": f"Universiteit van {city['name']}",
                    "kind": "university",
                    "city": city_id,
                    "website": f"https://example.org/university/{i}/",
                }
            )
            partnerships[-1]["institutions"] = [f"institution-{i}"]
        for j in range(rng.randint(1, 2)):
            activity: dict[str, Any] = {
                "id": f"activity-{i}-{j}",
                "partnership": tie,
                "kind": rng.choice(_ACTIVITY_KINDS),
                "title": _text(rng, (1, 1)),
                "description": _text(rng, (1, 2)),
                "themes": rng.sample(_THEMES, 1),
                "sources": cite(),
            }
            shape = rng.random()
            if shape < 0.4:
                activity["date"] = _date(rng, first, 2026)
            elif shape < 0.7:
                activity["recurrence"] = {"month": rng.randint(1, 12), "day": rng.randint(1, 28)}
                activity["since"] = _date(rng, first, 2020, "year")
            else:
                activity["since"] = _date(rng, first, 2020, "year")
            activities.append(activity)
    discrepancies = [
        {
            "id": f"discrepancy-{i}",
            "subject": f"tie-{rng.randrange(n)}",
            "description": _text(rng, (1, 2)),
            "sources": cite(),
        }
        for i in range(max(1, n // 20))
    ]
    return {
        "schema_version": 1,
        "home": "home",
        "revision": REVISION,
        "sources": sources,
        "cities": cities,
        "partnerships": partnerships,
        "foundations": foundations,
        "institutions": institutions,
        "contacts": contacts,
        "activities": activities,
        "discrepancies": discrepancies,
    }


def main(argv: list[str] | None = None) -> int:
    """Write a synthetic dataset file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="the number of partner cities and partnerships")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", "-o", type=Path, help="the file to write (default: stdout)")
    args = parser.parse_args(argv)
    text = json.dumps(generate(args.n, args.seed), ensure_ascii=False, indent=2) + "\n"
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
