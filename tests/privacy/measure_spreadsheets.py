"""Measure the isikukood upload check on the spreadsheet corpus.

Run:  cd /work/main && .venv/bin/python tests/privacy/measure_spreadsheets.py [-v] [--probes]

The checker (forum.core.documents.check_attachment) is used as a black box.
Prints refusal counts/rates per format x label, a breakdown by corpus
category, every misclassified case (with the refusal codes and, for wrongly
refused negatives, the smallest piece of the workbook that is refused on its
own plus a guess at why), and the result for the positive cases' controls
(the same file with the code replaced by an invalid twin).

--probes  also runs a few single-cell probes that isolate the behaviours seen
          in the misclassified cases.
-v        lists every case.
"""

import collections
import datetime
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koda.settings")
os.environ["KODA_VAR_DIR"] = "/tmp/sheets-var"
os.makedirs("/tmp/sheets-var", exist_ok=True)
django.setup()

import spreadsheet_corpus as sc  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from forum.core.documents import check_attachment  # noqa: E402


def refused(name, data):
    try:
        check_attachment(SimpleUploadedFile(name, data))
        return None
    except ValidationError as e:
        return [x.code for x in e.error_list]


def _book_like(book, sheets):
    return sc.Book(
        sheets,
        locale=book.locale,
        ods_currency=book.ods_currency,
        csv_sep=book.csv_sep,
        csv_bom=book.csv_bom,
        csv_crlf=book.csv_crlf,
        csv_group=book.csv_group,
    )


# --- explaining refusals (diagnostics only; labels come from the corpus) ----

_GROUP = re.compile(r"\d+")
_LETTER = re.compile(r"[^\W\d_]")


def valid_g78(s):
    """Would be a valid code if first digits 7/8 (years 2100-2199) were allowed."""
    if len(s) != 11 or not s.isdigit() or s[0] not in "78":
        return False
    try:
        datetime.date(2100 + int(s[1:3]), int(s[3:5]), int(s[5:7]))
    except ValueError:
        return False
    return sc.ik_checksum(s[:10]) == int(s[10])


def sep_joins(text):
    """Runs of digit groups separated only by non-letters whose (group-aligned)
    concatenation is exactly 11 digits and a valid code or a G7/8 look-alike."""
    groups = list(_GROUP.finditer(text))
    out = []
    for i in range(len(groups)):
        digits = ""
        for j in range(i, len(groups)):
            if j > i and _LETTER.search(text[groups[j - 1].end() : groups[j].start()]):
                break
            digits += groups[j].group()
            if len(digits) >= 11:
                if len(digits) == 11 and j > i and (sc.is_isikukood(digits) or valid_g78(digits)):
                    out.append((text[groups[i].start() : groups[j].end()], digits))
                break
    return out


def explain_value(v):
    t = v if isinstance(v, str) else sc._g15(v) if isinstance(v, float) else str(v)
    notes = []
    for m in _GROUP.finditer(t):
        run = m.group()
        frac = m.start() >= 2 and t[m.start() - 1] in ".," and t[m.start() - 2].isdigit()
        stripped = run.lstrip("0")
        if len(run) == 11 and valid_g78(run):
            notes.append(f"{run}: first digit {run[0]} accepted")
        elif len(run) == 11 and sc.is_isikukood(run) and frac:
            notes.append(f"fraction digits {run} are a code")
        elif len(run) == 11 and sc.is_isikukood(run):
            notes.append(f"{run} is a code")
        elif (
            len(run) > 11
            and len(stripped) == 11
            and (sc.is_isikukood(stripped) or valid_g78(stripped))
        ):
            notes.append(f"{run}: leading zeros stripped -> {stripped}")
    for snip, d in sep_joins(t):
        notes.append(f"{snip!r} joins to {d}" + (" (G7/8)" if valid_g78(d) else ""))
    return "; ".join(notes) or "?"


def cause_of(case, lines):
    text = " ".join(lines)
    if "accepted" in text or "(G7/8)" in text:
        return "11-digit number starting 7/8 (a valid code if years 2100-2199 are allowed)"
    if "fraction digits" in text:
        return "the 11 decimals of a number form a code"
    if "leading zeros" in text:
        return "zero-padded text number (xlsx)"
    if "across lines" in text:
        return f"digits joined across lines ({case.fmt})"
    if "joins to" in text:
        return f"digits joined across cells/separators ({case.fmt})"
    return "other"


def culprits(case, book=None):
    """Smallest parts of a refused workbook that are refused on their own."""
    book = book or case.book
    fmt = case.fmt
    found = []

    def probe(sheets, label):
        r = refused(case.filename, sc.write(_book_like(book, sheets), fmt))
        if r:
            found.append(f"{label} -> {r}")
        return r

    sheets = book.sheets[:1] if fmt == "csv" else book.sheets
    for sh in sheets:
        if fmt != "csv":
            probe([sc.Sheet(sh.name, rows={1: [sc.Cell("x")]})], f"sheet name {sh.name!r}")
            if sh.header or sh.footer:
                hf = sc.Sheet("Leht1", rows={1: [sc.Cell("x")]}, header=sh.header, footer=sh.footer)
                probe([hf], f"header/footer of {sh.name!r}")
        for r, cells in sorted(sh.rows.items()):
            if not probe([sc.Sheet("Leht1", rows={1: list(cells)})], None):
                continue
            found.pop()
            hit = False
            for c, cell in enumerate(cells, 1):
                if cell is None:
                    continue
                label = f"{sh.name}!{sc.col(c)}{r} = {cell.v!r}"
                if cell.comment:
                    label += f" [comment {cell.comment!r}]"
                label += f" ({explain_value(cell.v)})"
                if probe([sc.Sheet("Leht1", rows={1: [cell]})], label):
                    hit = True
            if not hit:
                if fmt == "csv":
                    one = _book_like(book, [sc.Sheet("x", rows={1: list(cells)})])
                    rowtext = sc.write(one, "csv").decode("utf-8-sig").strip()
                else:
                    rowtext = " ".join(
                        sc.display(c, book.locale)
                        for c in cells
                        if c is not None and isinstance(c.v, str)
                    )
                why = "; ".join(f"{a!r} joins to {d}" for a, d in sep_joins(rowtext)) or "?"
                found.append(f"{sh.name} row {r} only as a whole: {rowtext[:110]!r} ({why})")
    if not found:
        for sh in sheets:
            probe([sh], f"sheet {sh.name!r} only as a whole")
        if fmt == "csv":
            text = sc.write(_book_like(book, sheets[:1]), "csv").decode("utf-8-sig")
            j = [(a, d) for a, d in sep_joins(text) if "\n" in a]
            found.append(
                "across lines: " + ("; ".join(f"{a!r} joins to {d}" for a, d in j[:4]) or "?")
            )
    if not found:
        found.append("only the whole file is refused")
    return found


def probes():
    """Single-cell probes isolating the behaviours seen in the corpus."""
    Cell, Sheet, Book = sc.Cell, sc.Sheet, sc.Book
    code = "37605030299"

    def one(fmt, rows, name="Leht1"):
        sh = Sheet(name, rows={i + 1: r for i, r in enumerate(rows)})
        return "REFUSED" if refused("a." + fmt, sc.write(Book([sh]), fmt)) else "ok"

    def show(label, rows, fmts=("xlsx", "ods", "csv"), **kw):
        print(f"  {label:<46}", "  ".join(f"{f}:{one(f, rows, **kw):<7}" for f in fmts))

    s10 = "7760503029"
    g7 = s10 + str(sc.ik_checksum(s10))
    print("\nProbes (one small file each):")
    show(f"first digit 7, valid 2176 date/checksum {g7}", [[Cell(g7)]])
    show("1900-02-29 with right checksum 30002291237", [[Cell("30002291237")]])
    show("code split '376050 30299'", [[Cell("376050 30299")]])
    show("code split '37:60:50:30:29:9'", [[Cell("37:60:50:30:29:9")]])
    show("time + numbers '16:30;30;6;14,35' (one cell)", [[Cell("16:30;30;6;14,35")]])
    show("cells '16:30' | 30 | 6 | 14.35", [[Cell("16:30"), Cell(30), Cell(6), Cell(14.35)]])
    show("string cells '376050' | '30299'", [[Cell("376050"), Cell("30299")]])
    show("number cells 376050 | 30299", [[Cell(376050), Cell(30299)]])
    show("string cells one above the other", [[Cell("376050")], [Cell("30299")]])
    show("decimal 12.37605030299", [[Cell(12.37605030299)]])
    show("15-digit fraction 0.376050302994321", [[Cell(0.376050302994321)]])
    show(f"text '0{code}' (zero-padded)", [[Cell("0" + code)]])
    show(f"text '00{code}'", [[Cell("00" + code)]])
    show(f"text '4{code}' (code inside 12 digits)", [[Cell("4" + code)]])
    show(f"sheet name 'IK {code}'", [[Cell("x")]], ("xlsx", "ods"), name=f"IK {code}")
    show(
        "comment starting with the code on number cell",
        [[Cell(42, comment=code + " vt")]],
        ("xlsx", "ods"),
    )
    show(
        "comment starting with the code on text cell",
        [[Cell("x", comment=code + " vt")]],
        ("xlsx", "ods"),
    )
    show("comment 'IK <code>' on number cell", [[Cell(42, comment="IK " + code)]], ("xlsx", "ods"))


def main():
    verbose = "-v" in sys.argv
    t0 = time.time()
    cases = sc.corpus_detailed()
    t_gen = time.time() - t0
    results = {}
    t0 = time.time()
    for c in cases:
        results[c.case_id] = refused(c.filename, c.data)
    t_check = time.time() - t0

    def row(label, group):
        n = len(group)
        k = sum(1 for c in group if results[c.case_id])
        rate = f"{100 * k / n:5.1f}%" if n else "    -"
        return f"{label:<40} {n:>6} {k:>8} {rate:>7}"

    print(
        f"{len(cases)} cases generated in {t_gen:.1f}s, checked in {t_check:.1f}s "
        f"({1000 * t_check / len(cases):.0f} ms/file)\n"
    )
    hdr = f"{'format / label':<40} {'count':>6} {'refused':>8} {'rate':>7}"
    print(hdr)
    print("-" * len(hdr))
    for fmt in ("xlsx", "ods", "csv"):
        for lab in (False, True):
            g = [c for c in cases if c.fmt == fmt and c.contains_code == lab]
            print(row(f"{fmt} {'with code (pos)' if lab else 'no code (neg)'}", g))
    print("-" * len(hdr))
    for lab in (False, True):
        g = [c for c in cases if c.contains_code == lab]
        print(row(f"all {'with code (pos)' if lab else 'no code (neg)'}", g))

    print("\nNegatives by category (refused = false positive):")
    print(hdr)
    for cat in ("plain", "tricky11", "hard"):
        for fmt in ("xlsx", "ods", "csv"):
            g = [c for c in cases if c.category == cat and c.fmt == fmt]
            print(row(f"{cat} {fmt}", g))
        print(row(f"{cat} all", [c for c in cases if c.category == cat]))
    neg = [c for c in cases if not c.contains_code]
    print(row("neg without any embedded sequence", [c for c in neg if not c.flags]))
    print(row("neg with embedded valid sequence", [c for c in neg if c.flags]))
    kinds = collections.defaultdict(list)
    for c in neg:
        for k in sorted({f for f, _ in c.flags}):
            kinds[k].append(c)
    for k, g in sorted(kinds.items()):
        print(row(f"  ...flag {k}", g))

    print("\nPositives by placement:")
    print(hdr)
    bykey = collections.defaultdict(list)
    for c in cases:
        if c.contains_code:
            bykey[(c.fmt, c.case_id.split("-")[2])].append(c)
    for (fmt, key), g in sorted(bykey.items()):
        print(row(f"{fmt} {key}", g))

    print("\nMisclassified cases:")
    bad = [c for c in cases if bool(results[c.case_id]) != c.contains_code]
    if not bad:
        print("  none")
    causes = collections.defaultdict(list)
    for c in bad:
        kind = "FALSE POSITIVE" if not c.contains_code else "MISSED"
        print(f"- {c.case_id} ({c.filename}) {kind} codes={results[c.case_id]}")
        print(f"    {c.category}: {c.description}")
        if c.flags:
            print(f"    embedded: {sorted({f for f, _ in c.flags})} e.g. {c.flags[0][1]!r}")
        if not c.contains_code:
            lines = culprits(c)
            for line in lines[:5]:
                print(f"    culprit: {line}")
            if len(lines) > 5:
                print(f"    ... and {len(lines) - 5} more culprits")
            causes[cause_of(c, lines)].append(c.case_id)

    print("\nFalse positives by cause:")
    for cause, ids in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(ids):>3}  {cause}: {', '.join(ids)}")

    print("\nControls (positive files with the code replaced by an invalid twin):")
    ctl = [c for c in cases if c.control is not None]
    ctl_ref = [(c, refused(c.filename, c.control)) for c in ctl]
    print(f"  {len(ctl)} controls, refused: {sum(1 for _, r in ctl_ref if r)}")
    for c, r in ctl_ref:
        if r:
            print(f"- control of {c.case_id} refused {r}: twin {sc.control_for(c.code)}")
            for line in culprits(c, c.control_book)[:3]:
                print(f"    culprit: {line}")

    codes = collections.Counter(code for r in results.values() if r for code in r)
    print(f"\nRefusal codes seen: {dict(codes)}")
    if "--probes" in sys.argv:
        probes()
    if verbose:
        print("\nAll cases:")
        for c in cases:
            res = str(results[c.case_id])
            print(f"  {c.case_id:<24} {str(c.contains_code):<5} {res:<16} {c.description[:150]}")


if __name__ == "__main__":
    main()
