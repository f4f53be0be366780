"""Command line: ``survey-analysis reproduce | validate | synthesize``.

The CLI only calls the library; it computes nothing itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["main"]


def _reproduce(args) -> int:
    from ..bundled import datasets
    from ..claims.check import check_claims
    from ..estimate import rates
    from ..load import responses as io
    from .export import write_csv
    from .tables import format_headline, headline_table

    synthetic = args.data is None
    path = datasets.synthetic_responses_path() if synthetic else Path(args.data)
    responses = io.load_responses(path)
    report = responses.attrs["load_report"]
    if synthetic:
        print("DATA: SYNTHETIC demo responses (data/synthetic/responses_synthetic.csv), generated "
              "from stated assumptions; they are not the street office's real respondents.")
        print("数据：合成演示数据，并非真实受访者。\n")
    print(report, end="\n\n")
    table = headline_table(responses, method=args.method, confidence_level=args.confidence_level)
    print(format_headline(table, args.confidence_level))

    out = Path(args.output_dir)
    item_table = rates.item_rates(responses, confidence_level=args.confidence_level)
    items = datasets.load_items() if synthetic else None
    if items is not None:
        item_table = item_table.merge(items[["item_id", "name_zh", "name_en"]], on="item_id",
                                      how="left")
    written = [
        write_csv(table, out / "headline.csv"),
        write_csv(item_table, out / "item_rates.csv"),
        write_csv(rates.items_at_100(item_table, args.confidence_level), out / "items_at_100.csv"),
        write_csv(check_claims(responses, datasets.load_published_claims(), method=args.method,
                               confidence_level=args.confidence_level), out / "claims_check.csv"),
        write_csv(report.to_frame(), out / "load_report.csv"),
        _figure(item_table, out / "headline.png", synthetic),
    ]
    print("\nwrote: " + ", ".join(str(p) for p in written))
    return 0


def _figure(item_table, path: Path, synthetic: bool) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plots import forest_plot, use_cjk_font

    label = "name_zh" if "name_zh" in item_table and use_cjk_font() else "item_id"
    title = "Item satisfaction, 95% Wilson intervals" + (" (SYNTHETIC data / 合成数据)" if synthetic else "")
    ax = forest_plot(item_table, label=label, threshold=0.95, title=title)
    ax.figure.tight_layout()
    ax.figure.savefig(path, dpi=120)
    plt.close(ax.figure)
    return path


def _validate(args) -> int:
    """Load FILE, print its load report; exit 1 (error on stderr) when it cannot be loaded."""
    from ..load.responses import ResponseFileError, load_responses

    try:
        responses = load_responses(
            args.file, sheet=args.sheet, encoding=args.encoding, layout=args.layout,
            header_row=args.header_row, unknown_labels=args.unknown_labels,
            duplicates=args.duplicates, catalogue=args.catalogue, unknown_items=args.unknown_items)
    except (ResponseFileError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(responses.attrs["load_report"])
    return 0


def _report(args) -> int:
    from ..bundled import datasets
    from ..load.responses import ResponseFileError, load_responses
    from .html_report import write_report

    synthetic = args.file is None
    path = datasets.synthetic_responses_path() if synthetic else Path(args.file)
    try:
        responses = load_responses(path, sheet=args.sheet, keep_columns=args.keep_columns or None)
    except (ResponseFileError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    items = datasets.load_items() if synthetic else None
    paths = write_report(responses, args.output_dir, lang=args.lang, synthetic=synthetic,
                         confidence_level=args.confidence_level, method=args.method, items=items)
    if synthetic:
        print("DATA: SYNTHETIC demo responses; the report says so on its first line.")
    print(f"wrote {paths['html']} (self-contained), {paths['excel']} and {len(paths['csv'])} CSV tables "
          f"in {args.output_dir}")
    return 0


def _synthesize(args) -> int:
    from ..bundled.synthetic import write_synthetic_dataset

    path = write_synthetic_dataset(args.directory)
    print(f"wrote {path} and ASSUMPTIONS.md (SYNTHETIC data)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="survey-analysis",
        description="Satisfaction rates with honest confidence intervals, and the published claims checked.")
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("reproduce", help="headline table and figure on the bundled (SYNTHETIC) data "
                                           "or on FILE")
    rep.add_argument("--data", help="a response sheet to use instead of the bundled synthetic data")
    rep.add_argument("-o", "--output-dir", default="reports", help="folder for tables and figure "
                                                                   "(default: reports)")
    rep.add_argument("--method", choices=("logit", "beta"), default="logit",
                     help="design-based interval for the pooled rate (default: logit)")
    rep.add_argument("--confidence-level", type=float, default=0.95)
    rep.set_defaults(run=_reproduce)

    val = sub.add_parser("validate", help="load a response sheet and print its load report "
                                          "(exit status 1 when it has errors)")
    val.add_argument("file", help="CSV, Excel (.xlsx) or Parquet response sheet")
    val.add_argument("--sheet", default=0, help="Excel sheet name or index (default: the first)")
    val.add_argument("--encoding", help="CSV text encoding (default: UTF-8 with or without BOM, "
                                        "then GB18030)")
    val.add_argument("--layout", choices=("auto", "long", "wide"), default="auto",
                     help="long: one row per respondent x item; wide: one column per item")
    val.add_argument("--header-row", type=int, help="line / sheet row of the header (default: found)")
    val.add_argument("--unknown-labels", choices=("error", "exclude"), default="error")
    val.add_argument("--duplicates", choices=("error", "keep_first"), default="error")
    val.add_argument("--catalogue", help="item catalogue (CSV / Excel / Parquet with an item_id column)")
    val.add_argument("--unknown-items", choices=("report", "error", "exclude"), default="report",
                     help="answers to items not in the catalogue (default: report)")
    val.set_defaults(run=_validate)

    rpt = sub.add_parser("report", help="self-contained HTML report plus CSV and Excel tables for "
                                        "FILE (default: the bundled SYNTHETIC data)")
    rpt.add_argument("file", nargs="?", help="response sheet (CSV, Excel, Parquet)")
    rpt.add_argument("-o", "--output-dir", default="reports", help="output folder (default: reports)")
    rpt.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language (default: zh)")
    rpt.add_argument("--sheet", default=0, help="Excel sheet name or index")
    rpt.add_argument("--keep-columns", nargs="*", help="extra columns to carry (e.g. a community)")
    rpt.add_argument("--method", choices=("logit", "beta"), default="logit")
    rpt.add_argument("--confidence-level", type=float, default=0.95)
    rpt.set_defaults(run=_report)

    syn = sub.add_parser("synthesize", help="regenerate the SYNTHETIC demo responses into DIRECTORY")
    syn.add_argument("directory", nargs="?", default="data/synthetic")
    syn.set_defaults(run=_synthesize)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``survey-analysis`` console script."""
    args = build_parser().parse_args(argv)
    if getattr(args, "sheet", None) is not None and str(args.sheet).isdigit():
        args.sheet = int(args.sheet)
    try:
        return args.run(args)
    except ValueError as error:  # bad options or data: a message, not a traceback
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
