"""How long the privacy guard takes, by input kind and size (make bench-privacy): the guard runs
on every text a person submits and on every document's text, so it must stay linear and cheap
enough that no input can stall a worker. Prints a table; asserts nothing."""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koda.settings")

import django  # noqa: E402

django.setup()

from forum.core.privacy import (  # noqa: E402
    MAX_DOCUMENT_TEXT,
    MAX_TEXT,
    TooManyNumbers,
    find_isikukood,
    identification_risks,
)

PROSE = (
    "Lasteaia kõrval olev mänguväljak on õhtuti täiesti pime ja 12 last ootab bussi kell 7.30; "
    "vallavalitsus lubas 2024. aastal valgustuse, kuid Tamme tee remont venib. "
)
KINDS = {
    "Estonian prose": PROSE,
    "Cyrillic prose": "Дети ждут автобус 40 минут, в классе 25 учеников. ",
    "number table": "| 12 | 345 | 6,7 | 2024-03-15 | 10:22 | +372 5123 4567 |\n",
    "markup and references": "<b>7</b> &#54; **8** [9](https://näide.ee/?a=1) &nbsp; ",
    "one-digit groups (worst case)": "1 ",
}
SIZES = (1_000, MAX_TEXT, MAX_DOCUMENT_TEXT)


def _time(function, text) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        outcome = "code" if function(text) else "none"
    except TooManyNumbers:
        outcome = "too many numbers"
    return time.perf_counter() - start, outcome


def main():
    print("| input | characters | code check ms | MB/s | outcome | hint check ms |")
    print("|---|--:|--:|--:|---|--:|")
    for kind, unit in KINDS.items():
        for size in SIZES:
            text = (unit * (size // len(unit) + 1))[:size]
            seconds, outcome = min(_time(find_isikukood, text) for _ in range(3))
            hints = (
                f"{min(_time(identification_risks, text)[0] for _ in range(3)) * 1000:.1f}"
                if size <= MAX_TEXT
                else "–"
            )
            rate = size / seconds / 1e6 if seconds else float("inf")
            print(
                f"| {kind} | {size:,} | {seconds * 1000:.1f} | {rate:.1f} | {outcome} | {hints} |"
            )


if __name__ == "__main__":
    main()
