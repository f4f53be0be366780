"""load_responses on big files: a long CSV (vs pd.read_csv) and an .xlsx (vs pd.read_excel calamine).

Run from the repository root:  python benchmarks/bench_loader.py [--csv-rows 1000000] [--xlsx-rows 100000]
(``--package-root DIR`` times the survey_analysis in DIR instead, e.g. a checkout of an older commit.)
Targets (issue 13): ``load_responses`` of a 1e6-row long CSV (respondent, item, Chinese rating
label), with the full ledger and line numbers, at most 3x ``pd.read_csv`` of the same file, and
``survey-analysis validate`` of it the same; peak memory at most 3x the raw DataFrame;
``load_responses`` of a 1e5-row .xlsx at most 1.5x ``pd.read_excel(engine="calamine")``.
Issue 25: ``load_responses`` of a long CSV of as many rows whose every respondent is distinct
(one id per row, 2,000 items) at most 3x ``pyarrow.csv.read_csv(auto_dict_encode=True)`` of
the same file (``pd.read_csv`` of it shown beside); the same reference for the long CSV and the
wide CSV above. Last, both long CSVs against the same tidy frame built by hand in pyarrow
(:func:`by_hand`, and :func:`by_codes`, the floor: nothing checked but repeats), each checked
equal to the loader's before it is timed.
The files are synthetic (fixed seed), written to a temporary folder by this script. Prints a
table and writes results/bench_loader.json. ``validate`` is timed in process (``cli.main``) and
as the whole command against ``python -c "import pandas as pd; pd.read_csv(FILE)"``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, progress, run_isolated

ITEMS = 2_000
PER_RESPONDENT = 20
LABELS = np.array(["满意", "基本满意", "不满意", "不了解", "", "基本 满意"])
SHARES = [0.70, 0.22, 0.05, 0.02, 0.009, 0.001]


def _rows(rows: int, seed: int = 13):
    """Respondent, item and rating of each row: each respondent answers 20 distinct items."""
    rng = np.random.default_rng(seed)
    row = np.arange(rows)
    respondent, slot = row // PER_RESPONDENT, row % PER_RESPONDENT
    item = (respondent * 37 + slot * 101) % ITEMS  # distinct within a respondent
    respondents = np.char.add("R", np.char.zfill(respondent.astype(str), 7))
    items = np.char.add("事项", np.char.zfill(item.astype(str), 4))
    ratings = LABELS[rng.choice(len(LABELS), rows, p=SHARES)]
    return respondents, items, ratings


def make_distinct(path, rows: int, seed: int = 5) -> Path:
    """Long CSV, UTF-8, one respondent per row (every id distinct): header 受访者,事项,满意度,
    2,000 items drawn at random, four labels."""
    rng = np.random.default_rng(seed)
    labels = np.array(["满意", "基本满意", "不满意", "不了解"])
    respondents = np.char.add("R", np.char.zfill(np.arange(rows).astype(str), 7))
    items = np.char.add("事项", np.char.zfill(rng.integers(0, ITEMS, rows).astype(str), 4))
    ratings = labels[rng.choice(4, rows, p=[0.7, 0.22, 0.06, 0.02])]
    lines = np.char.add(np.char.add(np.char.add(respondents, ","), np.char.add(items, ",")), ratings)
    Path(path).write_text("受访者,事项,满意度\n" + "\n".join(lines.tolist()) + "\n", encoding="utf-8")
    return Path(path)


WIDE_COLUMNS, WIDE_ROWS = 20_000, 30


def make_wide(path, columns: int, rows: int, seed: int = 1) -> Path:
    """Wide CSV: 受访者 and ``columns`` item columns 事项0.., ``rows`` respondents."""
    rng = np.random.default_rng(seed)
    lines = ["受访者," + ",".join(f"事项{i}" for i in range(columns))]
    lines += [f"R{r}," + ",".join(LABELS[:3][rng.integers(0, 3, columns)]) for r in range(rows)]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Path(path)


def make_csv(path, rows: int) -> Path:
    """Long CSV, UTF-8: header 受访者,事项,满意度; a 合计 row at the end."""
    respondents, items, ratings = _rows(rows - 1)
    lines = np.char.add(np.char.add(np.char.add(respondents, ","), np.char.add(items, ",")), ratings)
    text = "受访者,事项,满意度\n" + "\n".join(lines.tolist()) + f"\n合计,,{rows - 1}\n"
    Path(path).write_text(text, encoding="utf-8")
    return Path(path)


LEVELS = ["满意", "基本满意", "不满意"]


def by_hand(path):
    """The tidy result of ``load_responses`` of the long CSVs above, written by hand in pyarrow
    as a skilled analyst would (the issue 25 principle: the reference does the same work):
    read, labels to levels (white space removed, so ``基本 满意`` is 基本满意), "don't know",
    blank answers and the 合计 row dropped, the check that no respondent answered an item
    twice (Arrow's hash group-by), and the same six columns in the same dtypes. It knows
    the file's layout, scale and labels; the loader finds them, and applies the rest of its
    rules (header search, ids, look-alike ids, footer rows, the ledger of every exclusion
    with its lines). ``tests/test_bench_loader_reference.py`` checks that both give the
    same frame."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    table = pa_csv.read_csv(path, convert_options=pa_csv.ConvertOptions(auto_dict_encode=True))
    respondent, item = table.column(0).cast(pa.string()), table.column(1).cast(pa.string())
    rating = pc.replace_substring(pc.utf8_trim_whitespace(table.column(2).cast(pa.string())), " ", "")
    level = pc.index_in(rating, value_set=pa.array(LEVELS))
    keep = pc.and_(pc.is_valid(level), pc.not_equal(respondent, "合计"))
    kept = pa.table({"item_id": item, "respondent_id": respondent, "level": level}).filter(keep)
    pairs = kept.group_by(["item_id", "respondent_id"]).aggregate([([], "count_all")])
    if len(pairs) and pc.max(pairs.column("count_all")).as_py() > 1:
        raise ValueError(f"{path}: a respondent answered an item twice")

    def strings(column):
        return pd.arrays.ArrowStringArray(column.cast(pa.large_string()))

    rows = kept.num_rows
    return pd.DataFrame({
        "item_id": strings(kept.column("item_id")), "respondent_id": strings(kept.column("respondent_id")),
        "rating": strings(pc.take(pa.array(LEVELS), kept.column("level"))),
        "scale": strings(pc.take(pa.array(["cn3"]), pa.array(np.zeros(rows, np.int8)))),
        "rank": pc.add(kept.column("level"), 1).to_numpy().astype(np.int8),
        "source_line": np.flatnonzero(keep.to_numpy(zero_copy_only=False)) + 2})


def by_codes(path):
    """:func:`by_hand` as an expert who knows the file would write it for speed: every column
    read into a dictionary (codes and distinct texts), labels mapped once per distinct text,
    the repeat check a sort of integer pair keys, the text columns taken by code. Nothing
    else is checked; the floor of the tidy frame itself."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv

    dictionary = pa.dictionary(pa.int32(), pa.string())
    table = pa_csv.read_csv(path, convert_options=pa_csv.ConvertOptions(
        column_types=dict.fromkeys(["受访者", "事项", "满意度"], dictionary))).combine_chunks()
    (respondent, respondents), (item, items), (rating, ratings) = (
        (column.chunk(0).indices.to_numpy(), column.chunk(0).dictionary) for column in table.columns)
    label = pc.replace_substring(pc.utf8_trim_whitespace(ratings), " ", "")
    level_of = pc.fill_null(pc.index_in(label, value_set=pa.array(LEVELS)), -1).to_numpy().astype(np.int8)
    level = level_of[rating]
    keep = level >= 0
    totals = np.flatnonzero(pc.equal(respondents, "合计").to_numpy(zero_copy_only=False))
    if len(totals):
        keep &= respondent != totals[0]
    lines = np.flatnonzero(keep)
    respondent, item, level = respondent[lines], item[lines], level[lines]
    pairs = np.sort(item.astype(np.int64) * len(respondents) + respondent)
    if (pairs[1:] == pairs[:-1]).any():
        raise ValueError(f"{path}: a respondent answered an item twice")

    def strings(codes, texts):
        return pd.arrays.ArrowStringArray(pc.take(texts.cast(pa.large_string()), pa.array(codes)))

    return pd.DataFrame({
        "item_id": strings(item, items), "respondent_id": strings(respondent, respondents),
        "rating": strings(level, pa.array(LEVELS)), "scale": strings(np.zeros(len(lines), np.int8), pa.array(["cn3"])),
        "rank": (level + 1).astype(np.int8), "source_line": lines + 2})


def shared_strings(path) -> None:
    """Rewrite a workbook written by openpyxl (which writes every text inline in the sheet)
    the way Excel saves it: texts in xl/sharedStrings.xml, cells holding their index."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    texts: dict = {}

    def shared(match) -> str:
        index = texts.setdefault(match.group(3), len(texts))
        return f'<c{match.group(1)} t="s"><v>{index}</v></c>'
    pattern = re.compile(r'<c([^>]*?) t="inlineStr"><is><t( xml:space="preserve")?>([^<]*)</t></is></c>')
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = pattern.sub(shared, parts[name].decode("utf-8")).encode("utf-8")
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{main}" '
        f'count="{len(texts)}" uniqueCount="{len(texts)}">'
        + "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in texts) + "</sst>").encode("utf-8")
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Id="rIdShared" Type="{kind}" Target="sharedStrings.xml"/>'
        "</Relationships>").encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>').encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def make_xlsx(path, rows: int) -> Path:
    """Excel export: a title merged over A1:C1, the header on row 2, data rows, and a 合计 row
    whose count is a formula without a saved value (openpyxl does not calculate); texts in
    shared strings, as Excel saves them."""
    import openpyxl

    respondents, items, ratings = _rows(rows - 1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "明细"
    sheet.append(["某街道满意度回访明细（合成数据）"])
    sheet.append(["受访者", "事项", "满意度"])
    for r, i, a in zip(respondents.tolist(), items.tolist(), ratings.tolist()):
        sheet.append([r, i, a if a else None])
    sheet.append(["合计", None, f"=COUNTA(C3:C{rows + 1})"])
    sheet.merge_cells("A1:C1")
    book.save(path)
    shared_strings(path)
    return Path(path)


# Each measurement runs in a fresh process: imports first (so that they are not counted),
# then one call measured for peak memory (the peak RSS during the call, VmHWM after resetting
# it through /proc/self/clear_refs, above the RSS before it: Arrow's and numpy's allocations
# included), then the best of REPEAT further calls for time.
CHILD = """
import os, sys, time

def status(field):
    with open('/proc/self/status') as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith(field)) / 1024

{path_setup}
import numpy, pandas as pd, pyarrow, pyarrow.csv
import survey_analysis as sa
from survey_analysis.load import read, responses
try:  # what the loader imports when it reads (not there in older versions)
    import python_calamine
    from survey_analysis.load import coded, excel
except ImportError:
    pass
from survey_analysis.present.cli import main as cli_main

def work():
{work}

with open('/proc/self/clear_refs', 'w') as handle:
    handle.write('5')  # reset the peak RSS (VmHWM) to the current RSS
before = status('VmRSS:')
result = work()
peak = status('VmHWM:')
times = []
for _ in range({repeat}):
    start = time.perf_counter(); work(); times.append(time.perf_counter() - start)
RESULT = {{"seconds": min(times), "times": times, "rss_before_mb": before, "call_peak_rss_mb": peak,
          "added_mb": peak - before, "extra": result if isinstance(result, (int, float, str, dict)) else None,
          "package": sa.__file__}}
"""

WORK = {
    "read_csv": "    return pd.read_csv({path!r}).memory_usage(deep=True).sum() / 2**20",
    "read_arrow": ("    return pyarrow.csv.read_csv({path!r}, convert_options=pyarrow.csv.ConvertOptions("
                   "auto_dict_encode=True)).num_rows"),
    "load_csv": "    return len(sa.load_responses({path!r}))",
    "by_hand": ("    sys.path.insert(0, {here!r})\n    from bench_loader import by_hand\n"
                "    return len(by_hand({path!r}))"),
    "by_codes": ("    sys.path.insert(0, {here!r})\n    from bench_loader import by_codes\n"
                 "    return len(by_codes({path!r}))"),
    "validate": ("    import contextlib, io\n"
                 "    with contextlib.redirect_stdout(io.StringIO()):\n"
                 "        return cli_main(['validate', {path!r}])"),
    "read_excel": "    return pd.read_excel({path!r}, engine='calamine').shape[0]",
    "load_wide": "    return len(sa.load_responses({path!r}))",
    "load_xlsx": "    return len(sa.load_responses({path!r}))",
}


def measure(kind: str, path: Path, repeat: int, root: str | None) -> dict:
    setup = f"sys.path.insert(0, {root!r})" if root else ""
    work = WORK[kind].format(path=str(path), here=str(Path(__file__).resolve().parent))
    return run_isolated(CHILD.format(path_setup=setup, work=work, repeat=repeat))


def wall(command: list, repeat: int, env=None) -> float:
    """Best wall time of a command (a whole process: interpreter, imports, work)."""
    import subprocess
    import time

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return min(times)


def main(csv_rows: int, xlsx_rows: int, repeat: int, root: str | None) -> list[dict]:
    import os
    import shutil

    import pandas

    load = os.getloadavg()[0]
    if load >= 0.5:
        progress(f"warning: load average {load:.2f} (>= 0.5): timings are not reliable")
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        csv_path = make_csv(Path(folder) / "responses_long.csv", csv_rows)
        progress(f"CSV {csv_rows} rows, {csv_path.stat().st_size / 2**20:.1f} MiB; pd.read_csv")
        reference = measure("read_csv", csv_path, repeat, root)
        progress("load_responses(CSV)")
        ours = ours_long = measure("load_csv", csv_path, repeat, root)
        rows.append({
            "target": f"load_responses of a {csv_rows:.0e}-row long CSV (3 columns, Chinese labels)",
            "reference": f"pd.read_csv (pandas {pandas.__version__}) of the same file",
            "reference_s": reference["seconds"], "ours_s": ours["seconds"],
            "ratio": ours["seconds"] / reference["seconds"], "goal": "<= 3x",
            "raw_frame_mb": reference["extra"], "reference_added_mb": reference["added_mb"],
            "ours_added_mb": ours["added_mb"], "memory_ratio": ours["added_mb"] / reference["extra"],
            "memory_goal": "<= 3x the raw DataFrame", "package": ours["package"]})
        progress("validate (in process)")
        validate = measure("validate", csv_path, repeat, root)
        rows.append({
            "target": "survey-analysis validate of the same CSV, in process (cli.main)",
            "reference": "pd.read_csv of the same file", "reference_s": reference["seconds"],
            "ours_s": validate["seconds"], "ratio": validate["seconds"] / reference["seconds"],
            "goal": "<= 3x", "ours_added_mb": validate["added_mb"]})
        progress("validate (whole command) vs python -c 'import pandas; pd.read_csv'")
        env = dict(os.environ)
        script = shutil.which("survey-analysis") or "survey-analysis"
        command_ref = wall([sys.executable, "-c", f"import pandas as pd; pd.read_csv({str(csv_path)!r})"],
                           repeat, env)
        command = wall([sys.executable, "-c", f"import sys; sys.path.insert(0, {root!r}); "
                        "from survey_analysis.present.cli import main; "
                        f"main(['validate', {str(csv_path)!r}])"], repeat, env) \
            if root else wall([script, "validate", str(csv_path)], repeat, env)
        rows.append({
            "target": "survey-analysis validate of the same CSV, the whole command",
            "reference": "python -c 'import pandas as pd; pd.read_csv(FILE)'", "reference_s": command_ref,
            "ours_s": command, "ratio": command / command_ref, "goal": "<= 3x"})

        # One respondent per row (every id distinct): a million distinct texts in one column.
        distinct_path = make_distinct(Path(folder) / "distinct.csv", csv_rows)
        progress(f"distinct-id CSV {csv_rows} rows; pyarrow.csv.read_csv(auto_dict_encode=True), pd.read_csv")
        arrow = measure("read_arrow", distinct_path, repeat, root)
        reference = measure("read_csv", distinct_path, repeat, root)
        progress("load_responses(distinct-id CSV)")
        ours = ours_distinct = measure("load_csv", distinct_path, repeat, root)
        target = f"load_responses of a {csv_rows:.0e}-row long CSV, one respondent per row (distinct ids)"
        rows.append({
            "target": target, "reference": "pyarrow.csv.read_csv(auto_dict_encode=True) of the same file",
            "reference_s": arrow["seconds"], "ours_s": ours["seconds"],
            "ratio": ours["seconds"] / arrow["seconds"], "goal": "<= 3x", "ours_added_mb": ours["added_mb"]})
        rows.append({
            "target": target, "reference": "pd.read_csv of the same file",
            "reference_s": reference["seconds"], "ours_s": ours["seconds"],
            "ratio": ours["seconds"] / reference["seconds"], "goal": "-"})

        # Issue 14, case 39: a wide sheet of 20,000 item columns x 30 respondents (was 57 s).
        wide_path = make_wide(Path(folder) / "wide.csv", WIDE_COLUMNS, WIDE_ROWS)
        progress(f"wide CSV {WIDE_COLUMNS} item columns x {WIDE_ROWS} rows; pd.read_csv")
        reference = measure("read_csv", wide_path, 1, root)
        progress("load_responses(wide CSV)")
        ours = ours_wide = measure("load_wide", wide_path, 1, root)
        rows.append({
            "target": f"load_responses of a wide CSV, {WIDE_COLUMNS:,} item columns x {WIDE_ROWS} rows",
            "reference": "pd.read_csv of the same file", "reference_s": reference["seconds"],
            "ours_s": ours["seconds"], "ratio": ours["seconds"] / reference["seconds"],
            "goal": "issue 14: was 57 s", "ours_added_mb": ours["added_mb"]})

        xlsx_path = make_xlsx(Path(folder) / "responses.xlsx", xlsx_rows)
        progress(f"xlsx {xlsx_rows} rows, {xlsx_path.stat().st_size / 2**20:.1f} MiB; pd.read_excel(calamine)")
        reference = measure("read_excel", xlsx_path, repeat, root)
        progress("load_responses(xlsx)")
        ours = measure("load_xlsx", xlsx_path, repeat, root)
        rows.append({
            "target": f"load_responses of a {xlsx_rows:.0e}-row .xlsx (title merged, 合计 formula)",
            "reference": "pd.read_excel(engine='calamine') of the same file",
            "reference_s": reference["seconds"], "ours_s": ours["seconds"],
            "ratio": ours["seconds"] / reference["seconds"], "goal": "<= 1.5x",
            "reference_added_mb": reference["added_mb"], "ours_added_mb": ours["added_mb"]})

        # Issue 25: the goal of the distinct-id CSV (3x pyarrow's dictionary read) on the
        # existing CSV shapes too, against the loads measured above.
        for path, loaded, shape in ((csv_path, ours_long, f"{csv_rows:.0e}-row long CSV (3 columns, Chinese labels)"),
                                    (wide_path, ours_wide, f"wide CSV, {WIDE_COLUMNS:,} item columns x {WIDE_ROWS} rows")):
            progress(f"pyarrow.csv.read_csv(auto_dict_encode=True) of the {shape}")
            arrow = measure("read_arrow", path, repeat if loaded is ours_long else 1, root)
            rows.append({
                "target": f"load_responses of a {shape}",
                "reference": "pyarrow.csv.read_csv(auto_dict_encode=True) of the same file",
                "reference_s": arrow["seconds"], "ours_s": loaded["seconds"],
                "ratio": loaded["seconds"] / arrow["seconds"], "goal": "<= 3x"})
        # Issue 25, the principle of its engine rows: the same result written by hand (pyarrow:
        # read, labels, the repeat check, the tidy columns), checked equal to the loader's first.
        for path, loaded, shape in ((csv_path, ours_long, f"{csv_rows:.0e}-row long CSV (3 columns, Chinese labels)"),
                                    (distinct_path, ours_distinct, f"{csv_rows:.0e}-row long CSV, one respondent per row")):
            progress(f"the same tidy result by hand in pyarrow, {shape}")
            _same_result(path, root)
            for kind, how in (("by_hand", "the same tidy frame by hand in pyarrow (read, labels, repeat check by group-by)"),
                              ("by_codes", "the same tidy frame by dictionary codes, nothing else checked (the floor)")):
                hand = measure(kind, path, repeat, root)
                rows.append({
                    "target": f"load_responses of a {shape}", "reference": how,
                    "reference_s": hand["seconds"], "ours_s": loaded["seconds"],
                    "ratio": loaded["seconds"] / hand["seconds"], "goal": "-"})
    return rows


def _same_result(path, root: str | None) -> None:
    """Refuse to time a reference that does not give the loader's own tidy frame."""
    if root:
        sys.path.insert(0, root)
    import survey_analysis as sa

    ours = sa.load_responses(path)
    for make in (by_hand, by_codes):
        if not make(path).equals(ours):
            raise SystemExit(f"{path}: {make.__name__}'s frame differs from load_responses'; not timed")


def table(rows: list[dict]) -> str:
    lines = ["| target | reference | reference s | ours s | ratio | goal |", "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['target']} | {row['reference']} | {row['reference_s']:.3f} | {row['ours_s']:.3f} "
                     f"| {row['ratio']:.2f}x | {row['goal']} |")
    memory = rows[0]
    lines.append(f"\nPeak memory of load_responses(CSV): {memory['ours_added_mb']:.0f} MB above the process "
                 f"before the call; the raw DataFrame (pd.read_csv, deep) is {memory['raw_frame_mb']:.0f} MB "
                 f"({memory['memory_ratio']:.2f}x; pd.read_csv itself added {memory['reference_added_mb']:.0f} MB)")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per measurement (best taken)")
    parser.add_argument("--package-root", default=None,
                        help="time the survey_analysis found in this folder (e.g. a checkout of an "
                             "older commit) instead of the installed one; results are not written")
    args = parser.parse_args()
    results = main(args.csv_rows, args.xlsx_rows, args.repeat, args.package_root)
    print(table(results))
    if args.package_root is None:
        out = Path(__file__).resolve().parent / "results"
        out.mkdir(exist_ok=True)
        (out / "bench_loader.json").write_text(json.dumps({"machine": machine(), "rows": results}, indent=1))
