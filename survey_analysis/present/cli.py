"""Command line: ``survey-analysis reproduce | report | compare | validate | synthesize``.

The CLI only calls the library; it computes nothing itself. Its flags are built from
tables: every option of :func:`~survey_analysis.load_responses` (from
:data:`~survey_analysis.load.options.LOAD_OPTIONS`) and every option of
:func:`~survey_analysis.analyze` (:data:`ANALYSIS_FLAGS`), so the command line says
what the library can; ``tests/test_cli.py`` checks that the tables match the functions
(:data:`COMPARE_FLAGS` for :func:`~survey_analysis.compare_rounds`).

Outputs are written all at once (:func:`~survey_analysis.present.export.output_folder`):
``report`` replaces its folder as a whole (one that holds files only with ``--force``);
``reproduce`` and ``compare`` replace their own files in the folder and leave other files
alone; all three move their outputs into place by the same swap, which the next run undoes
when a run was killed midway. An output path that cannot be written (a file, a symbolic
link, below a file, read-only, a full disk) is a one-line message and exit status 2, said
before the analysis runs, and no partial output is left; ``synthesize`` replaces its files
only with ``--force``.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from ..load.counts_table import counts_flag
from ..load.options import LOAD_OPTIONS, flag_for, parse_filters
from ..words import SurveyError, say

# ANALYSIS_FLAGS and COMPARE_FLAGS are built on first use (the module's __getattr__).
__all__ = ["ANALYSIS_FLAGS", "COMPARE_FLAGS", "build_parser", "main"]  # noqa: F822


def _flag_table(options) -> dict:
    """keyword -> (flag, argparse keywords, help), built from option definitions."""
    return {o.keyword: (o.flag, o.argparse_keywords(), o.help) for o in options}


# The analysis' and the comparison's tables are built when first used: importing them brings
# in the estimators (SciPy), which `--help` and `validate` do not need.
@cache
def _analysis_flags() -> dict:
    from ..analysis import ANALYSIS_OPTIONS
    return _flag_table([*ANALYSIS_OPTIONS.values(), *_design_flagged()])


@cache
def _compare_flags() -> dict:
    from ..estimate.rounds import COMPARE_OPTIONS
    return _flag_table([*COMPARE_OPTIONS.values(), *_design_flagged(counting=False)])


@cache
def _track_flags() -> dict:
    from ..estimate.tracking import TRACK_OPTIONS
    return _flag_table([*TRACK_OPTIONS.values(), *_design_flagged(counting=False)])


def _design_flagged(counting: bool = True) -> list:
    """The design options that have a flag (the others are the CLI's own business: the item
    column is the loader's ``--columns``, groups come from ``--by``); without ``counting``,
    not those saying how a long file is counted (compare and track read their sheet with the
    loader)."""
    from ..design.options import COUNTING_OPTIONS, DESIGN_OPTIONS
    return [o for o in DESIGN_OPTIONS.values() if o.flag and (counting or o.keyword not in COUNTING_OPTIONS)]


def __getattr__(name: str):
    """:data:`ANALYSIS_FLAGS`: options of :func:`~survey_analysis.analyze` -> (flag, argparse
    keywords, help), from :data:`~survey_analysis.design.options.DESIGN_OPTIONS` and
    :data:`~survey_analysis.analysis.ANALYSIS_OPTIONS`; :data:`COMPARE_FLAGS`: the same for
    :func:`~survey_analysis.compare_rounds`, from
    :data:`~survey_analysis.estimate.rounds.COMPARE_OPTIONS` and the design's."""
    tables = {"ANALYSIS_FLAGS": _analysis_flags, "COMPARE_FLAGS": _compare_flags}
    if name in tables:
        return tables[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _add_load_flags(parser) -> None:
    group = parser.add_argument_group("reading the sheet (options of load_responses)")
    for option in LOAD_OPTIONS.values():
        keywords = {"dest": f"load_{option.keyword}", "help": option.help}
        if option.metavar:
            keywords["metavar"] = option.metavar
        if option.kind == "choice":
            keywords["choices"] = option.choices
        elif option.kind in ("pairs", "filter"):
            keywords["action"] = "append"
        elif option.kind == "list":
            keywords["nargs"] = "+"
        elif option.kind == "float":
            keywords["type"] = float
        group.add_argument(option.flag, **keywords)


def _add_option_flags(parser, title: str, table: dict, prefix: str) -> None:
    """The flags of one function's options (``table``: keyword -> (flag, argparse keywords,
    help)), in a group ``title``; each read back as ``args.<prefix>_<keyword>``."""
    group = parser.add_argument_group(title)
    for name, (flag, keywords, text) in table.items():
        group.add_argument(flag, dest=f"{prefix}_{name}", help=text, **keywords)


def _add_analysis_flags(parser) -> None:
    _add_option_flags(parser, "the analysis (options of analyze)", _analysis_flags(), "analysis")


def _load_options(args) -> dict:
    out = {}
    for option in LOAD_OPTIONS.values():
        raw = getattr(args, f"load_{option.keyword}", None)
        if raw is None:
            continue
        value = option.parse(raw)
        if value is not None:
            out[option.keyword] = value
    return out


def _satisfied(text):
    if text is None or text == "default":
        return None
    if "," in text or "，" in text:
        return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    return text


def _claims(text, bundled: bool):
    from ..bundled import datasets

    if text is None:
        return datasets.load_published_claims() if bundled else None
    if text == "none":
        return None
    if text == "article":
        return datasets.load_published_claims()
    return text


def _items(text, bundled: bool):
    from ..bundled import datasets

    if text is None:
        return datasets.load_items() if bundled else None
    from ..load.read import read_table

    path = Path(text)
    table = read_table(path, "item catalogue")
    if "item_id" not in table.columns:
        raise SurveyError("present.cli.no_item_id", path=path)
    table.attrs["source"] = str(path)  # named by the errors about the catalogue
    return table


def _suppress(text):
    """``--suppress``: a whole number (``10``) is a minimum number of answers; anything else a
    preset's name (an unknown one is refused by the library, naming those allowed)."""
    text = str(text).strip()
    return int(text) if text.isdecimal() and text.isascii() else text


def _counts(values) -> dict:
    """The pairs of ``--counts`` as :meth:`Survey.from_counts` keywords: ``item=A+B`` is a
    unit named by two columns (``item=["A", "B"]``)."""
    from ..load.options import parse_pairs

    counts = parse_pairs(values, "--counts")
    item = counts.get("item")
    if item is not None and "+" in item:
        counts["item"] = [part.strip() for part in item.split("+")]
    return counts


def _with_warnings(call):
    """``call()``, the library's warnings (:class:`~survey_analysis.words.SurveyWarning`: many
    rows of a table fitting no count ...) printed as the command line's warnings; others
    are passed on."""
    import warnings

    from ..words import SurveyWarning

    caught = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SurveyWarning)
            return call()
    finally:  # said before an error too (a killed run's outputs put back, then a refusal)
        for warning in caught:
            if issubclass(warning.category, SurveyWarning):
                print(say("present.cli.warning", text=str(warning.message)))
            else:
                warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                       warning.lineno)


def _analysis(args, source, bundled: bool):
    from ..analysis import analyze

    options = {name: getattr(args, f"analysis_{name}") for name in _analysis_flags()}
    options = {k: v for k, v in options.items() if v is not None}
    options["claims"] = _claims(options.get("claims"), bundled)
    options["items"] = _items(options.get("items"), bundled)
    options["satisfied"] = _satisfied(options.get("satisfied"))
    if options.get("counts") is not None:
        options["counts"] = _counts(options["counts"])
    if options.get("suppress") is not None:
        options["suppress"] = _suppress(options["suppress"])
    if options.get("proportion") is not None:
        options["proportion"] = parse_filters(options["proportion"], "--proportion")
    if options.get("among") is not None:
        words = [a for a in options["among"] if a in ("satisfied", "dissatisfied")]
        options["among"] = words[0] if words else parse_filters(options["among"], "--among")
    return _with_warnings(lambda: analyze(source, synthetic=bundled, **options, **_load_options(args)))


def _source(args, attribute: str):
    from ..bundled import datasets

    given = getattr(args, attribute)
    return (datasets.synthetic_responses_path(), True) if given is None else (Path(given), False)


def _flags(command: str | None = None):
    """The callable ``(keyword, value) -> flag text or None`` errors are rendered with: a load
    option's flag (:func:`flag_for`), else the command's own table (:data:`COMPARE_FLAGS` for
    ``compare``, where ``method`` is ``--difference-method``), else :data:`ANALYSIS_FLAGS`."""
    tables = {"compare": (_compare_flags, _analysis_flags),
              "track": (_track_flags, _analysis_flags)}.get(command, (_analysis_flags, _compare_flags, _track_flags))

    def flag(keyword: str, value) -> str | None:
        found = flag_for(keyword, value) or counts_flag(keyword, value)
        if found is not None:
            return found
        entry = next((table()[keyword] for table in tables if keyword in table()), None)
        if entry is None:
            return None
        if isinstance(value, bool) or value is None:
            return entry[0]
        shown = " ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
        return f"{entry[0]} {shown}"

    return flag


def _error_text(error: BaseException, command: str | None = None, lang: str | None = None) -> str:
    """An error as the command line prints it: the keywords it proposes with their flags; in
    ``lang`` when given (else in the error's own languages)."""
    if not isinstance(error, SurveyError):
        return str(error)
    return error.render(languages=lang, flags=_flags(command))


def _report_text(report, lang: str = "en") -> str:
    """A ledger as the command line prints it (its notes' keywords with their flags)."""
    render = getattr(report, "render", None)
    return render(flags=_flags(), lang=lang) if render is not None else str(report)


#: Flags of the commands' own arguments (not options of a library function) that an error
#: may propose by keyword: the output folder's (another folder, or replacing it).
_OWN_FLAGS = {"output_dir": "-o", "force": "--force"}


def _flags_and_own(command: str | None = None):
    """:func:`_flags` of ``command``, and the flags of the commands' own arguments
    (:data:`_OWN_FLAGS`): ``output_dir='FOLDER' (CLI -o FOLDER)``, ``force=True (CLI --force)``."""
    flags = _flags(command)

    def flag(keyword: str, value) -> str | None:
        own = _OWN_FLAGS.get(keyword)
        if own is None:
            return flags(keyword, value)
        return own if isinstance(value, bool) else f"{own} {value}"

    return flag


def _error_line(error: BaseException, command: str | None = None) -> str:
    """``error: <message>``, the keywords it proposes with their flags."""
    text = (error.render(flags=_flags_and_own(command)) if isinstance(error, SurveyError)
            else _error_text(error, command))
    return say("present.cli.error", text=text)


def _print_warnings(analysis) -> None:
    for warning in analysis.warnings:
        print(say("present.cli.warning", text=warning))


def _print_not_computed(analysis) -> None:
    for reason in analysis.not_computed.values():
        print(say("present.cli.not_computed", text=reason) + "\n  "
              + say("present.cli.not_computed", "zh", text=reason))


def _write_files(out: Path, files: dict) -> list:
    """Write ``files`` (file name -> writer taking a path) into the folder ``out`` all at
    once, beside whatever else it holds (the input sheets, say): the files of a previous
    run there are replaced or removed, never left beside this run's (see
    :func:`~survey_analysis.present.export.output_folder`). The final paths."""
    from .export import output_folder

    def write() -> None:
        with output_folder(out, replace=False) as folder:
            for name, writer in files.items():
                writer(folder / name)

    _with_warnings(write)  # a killed run's files put back first: said as a warning
    return [out / name for name in files]


def _reproduce(args) -> int:
    from functools import partial

    from .export import check_output_folder, write_csv

    source, bundled = _source(args, "data")
    # Before the analysis, not after it (a killed run's outputs are put back first).
    _with_warnings(lambda: check_output_folder(args.output_dir, replace=False))
    analysis = _analysis(args, source, bundled)
    if bundled:
        print(say("present.cli.synthetic_en"))
        print(say("cli.synthetic_zh", "zh") + "\n")
    if analysis.report is not None:
        print(_report_text(analysis.report), end="\n\n")  # its warnings first
    else:
        _print_warnings(analysis)
    from .tables import format_headline

    print(format_headline(analysis))
    _print_not_computed(analysis)
    out = Path(args.output_dir)
    tables = {"headline": analysis.headline, "item_rates": analysis.item_rates,
              "items_at_100": analysis.items_at_100}
    if len(analysis.items_rounding_to_100):
        tables["items_rounding_to_100"] = analysis.items_rounding_to_100
    if analysis.checks is not None:
        tables["claims_check"] = analysis.checks
    if analysis.survey.percent_audit is not None:
        tables["percent_audit"] = analysis.survey.percent_audit
    if analysis.report is not None:
        tables["load_report"] = analysis.report.to_frame()
    files = {f"{name}.csv": partial(write_csv, table) for name, table in tables.items()}
    files["headline.png"] = partial(_figure, analysis)
    written = _write_files(out, files)
    print("\n" + say("present.cli.wrote", paths=", ".join(str(p) for p in written)))
    return 0


def _figure(analysis, path: Path) -> Path:
    from matplotlib.figure import Figure

    from .layout import MAX_ROWS, row_figsize
    from .plots import forest_plot, use_cjk_font

    rates = analysis.item_rates
    if "suppressed" in rates:  # rows hidden by the publication rule have no rate to draw
        rates = rates.loc[~rates["suppressed"].to_numpy(dtype=bool)]
    label = "name_zh" if "name_zh" in rates and rates["name_zh"].notna().all() and use_cjk_font() \
        else analysis.survey.item
    level = f"{analysis.confidence_level:.1%}".replace(".0%", "%")
    title = analysis.title or say("present.cli.figure_title", level=level, interval=analysis.interval)
    if analysis.synthetic:
        title += f" ({say('cli.synthetic_title', 'en')} / {say('cli.synthetic_title', 'zh')})"
    # At most MAX_ROWS rows (the lowest and the highest rates; the legend says how many of
    # how many): the figure's size follows the rows drawn, never the number of items.
    figure = Figure(figsize=row_figsize(len(rates), MAX_ROWS, width=7.5, per_row=0.14, base=2.0),
                    layout="constrained")
    forest_plot(rates, ax=figure.add_subplot(), label=label, threshold=analysis.threshold,
                title=title, max_items=MAX_ROWS)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120, bbox_inches="tight")
    return path


def _validate(args) -> int:
    """Load FILE (a response sheet, or with ``--counts`` a table of counts), print its ledger;
    exit 1 (error on stderr) when it cannot be read."""
    from ..load.report import ResponseFileError

    if Path(args.file).is_dir():  # a usage error (exit 2), not an error in a file
        raise SurveyError("present.cli.folder", path=args.file)
    try:
        if args.counts is not None:
            report = _with_warnings(lambda: _counts_ledger(args))
        else:
            from ..load.responses import load_responses

            report = _with_warnings(lambda: load_responses(args.file, **_load_options(args))).attrs["load_report"]
    except (ResponseFileError, FileNotFoundError) as error:
        print(say("present.cli.error", args.lang or "en", text=_error_text(error, "validate", args.lang)),
              file=sys.stderr)
        return 1
    print(_report_text(report, args.lang or "en"))
    return 0


def _counts_ledger(args):
    """The ledger of a table of counts read as ``report --counts`` reads it (the same
    :func:`~survey_analysis.analyze` option, the same Survey)."""
    from ..analysis import counts_survey

    load = {k: v for k, v in _load_options(args).items() if v is not None}
    return counts_survey(args.file, _counts(args.counts), load).report


#: Seconds after which long work on a terminal says what it is doing.
PROGRESS_AFTER = 5.0


@contextmanager
def _progress(work: str):
    """On a terminal, a line saying what long work is doing once it has run
    :data:`PROGRESS_AFTER` seconds, and how long it took; nothing when stderr is not a
    terminal (a pipe, a log, a notebook) or when the work is quick."""
    if not sys.stderr.isatty():
        yield
        return
    start, said = time.perf_counter(), []

    def say_it():
        said.append(True)
        print(say("present.cli.progress", work=work, seconds=time.perf_counter() - start),
              file=sys.stderr, flush=True)
    timer = threading.Timer(PROGRESS_AFTER, say_it)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        if said:
            print(say("present.cli.progress_done", seconds=time.perf_counter() - start), file=sys.stderr,
                  flush=True)


def _report(args) -> int:
    from ..load.report import ResponseFileError
    from .export import check_output_folder
    from .html_report import write_report

    source, bundled = _source(args, "file")
    # Before the analysis, not after it (a killed run's report is put back first).
    _with_warnings(lambda: check_output_folder(args.output_dir, force=args.force))
    try:
        with _progress(say("present.cli.stage_analysis", source=Path(source).name)):
            analysis = _analysis(args, source, bundled)
    except (ResponseFileError, FileNotFoundError) as error:
        print(say("present.cli.error", text=_error_text(error)), file=sys.stderr)
        return 1
    _print_warnings(analysis)
    _print_not_computed(analysis)
    with _progress(say("present.cli.stage_report")):
        paths = _with_warnings(lambda: write_report(analysis, args.output_dir, lang=args.lang,
                                                    force=args.force))
    if bundled:
        print(say("present.cli.synthetic_report"))
    print(say("present.cli.wrote_report", html=paths["html"], excel=paths["excel"],
              count=len(paths["csv"]), folder=args.output_dir))
    return 0


def _design_columns(options: dict, keep: list) -> list:
    """The sheet's columns a design named in ``options`` needs beyond ``keep`` (the loader
    keeps only what it is told): strata, finite population sizes, clusters other than the
    item, and ``groups`` counted by."""
    wanted = [options.get("strata"), options.get("fpc"), *(options.get("cluster") or []),
              *(options.get("groups") or [])]
    return list(dict.fromkeys(c for c in wanted if c and c != "item_id" and c not in keep))


def _compare(args) -> int:
    from functools import partial

    from ..estimate.rounds import compare_rounds
    from ..load.responses import load_responses
    from .export import check_output_folder, write_csv

    # Before the comparison, not after it (a killed run's files are put back first).
    _with_warnings(lambda: check_output_folder(args.output_dir, replace=False))
    options = {name: getattr(args, f"compare_{name}") for name in _compare_flags()}
    options = {k: v for k, v in options.items() if v is not None}
    options["satisfied"] = _satisfied(options.get("satisfied"))
    load = _load_options(args)
    round_column = options.pop("round", "round")
    files = [Path(f) for f in args.files]
    keep = list(load.pop("keep_columns", None) or [])
    extra = _design_columns(options, keep)
    if len(files) == 1:  # one sheet holding every round
        if options.pop("labels", None) is not None:
            raise SurveyError("present.cli.labels_one_file")
        extra += [round_column] if round_column not in keep + extra else []
        try:
            source = _with_warnings(lambda: load_responses(files[0], keep_columns=keep + extra or None, **load))
        except SurveyError as error:
            if getattr(error, "code", None) == "load.keep.missing" and error.params.get("name") == round_column:
                raise SurveyError("present.cli.no_round_column", file=str(files[0]), round=round_column,
                                  headers=error.params.get("headers")) from None
            raise
        result = _with_warnings(lambda: compare_rounds(source, round=round_column, **options))
    else:  # one sheet per round, each read by the loader (its ledger kept per round)
        frames = [_with_warnings(lambda f=f: load_responses(f, keep_columns=keep + extra or None, **load))
                  for f in files]
        labels = options.pop("labels", None) or [f.stem for f in files]
        result = _with_warnings(lambda: compare_rounds(frames, round=round_column, labels=labels, **options))
    print(result.summary("zh" if args.lang == "zh" else "en"))
    print()
    print(result.overall.drop(columns=["design"]).T.to_string(header=False))
    changed = result.items.loc[result.items["change"].isin(["improved", "worsened"])]
    if len(changed):
        print()
        print(changed.to_string(index=False))
    out = Path(args.output_dir)
    written = _write_files(out, {
        "rounds_overall.csv": partial(write_csv, result.overall),
        "rounds_items.csv": partial(write_csv, result.items),
        "rounds.png": lambda path: _rounds_figure(result, path, args.lang)})
    print("\n" + say("present.cli.wrote", paths=", ".join(str(p) for p in written)))
    return 0


def _rounds_figure(result, path: Path, lang: str) -> Path:
    from matplotlib.figure import Figure

    from .plots import MAX_ROWS, rounds_plot

    # At most MAX_ROWS items (every changed item, then the largest differences; the legend
    # says how many of how many): the size follows the rows drawn, not the number of items.
    shown = min(len(result.items), MAX_ROWS)
    figure = Figure(figsize=(7.5, max(3.0, 0.16 * shown + 2.0)), layout="constrained")
    rounds_plot(result, ax=figure.add_subplot(), lang=lang, max_items=MAX_ROWS)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120, bbox_inches="tight")
    return path


#: At most this many groups are drawn in the chart of ``track --by`` (the table holds them all).
MAX_CHARTS = 12


def _track(args) -> int:
    """``survey-analysis track FILE --period COL``: the rate of each period with control limits
    and signals, as a table (CSV and Excel) and a chart (PNG, one panel per group)."""
    from functools import partial

    from ..design.options import DESIGN_OPTIONS
    from ..estimate.tracking import TRACK_OPTIONS, track
    from ..load.report import ResponseFileError
    from ..load.responses import load_responses
    from ..survey import Survey
    from .export import check_output_folder, write_csv, write_excel

    _with_warnings(lambda: check_output_folder(args.output_dir, replace=False))
    options = {name: getattr(args, f"track_{name}") for name in _track_flags()}
    options = {k: v for k, v in options.items() if v is not None}
    design = {k: options.pop(k) for k in list(options) if k in DESIGN_OPTIONS}
    tracking = {k: v for k, v in options.items() if k in TRACK_OPTIONS}
    if tracking.get("suppress") is not None:
        tracking["suppress"] = _suppress(tracking["suppress"])
    period = tracking.pop("period")
    load = _load_options(args)
    keep = list(load.pop("keep_columns", None) or [])
    keep += _design_columns({**design, "groups": [period, tracking.get("by")]}, keep)
    try:
        responses = _with_warnings(lambda: load_responses(args.file, keep_columns=keep or None, **load))
        source = Survey(responses, **design) if design else responses
        table = _with_warnings(lambda: track(source, period, **tracking))
    except (ResponseFileError, FileNotFoundError) as error:
        print(say("present.cli.error", text=_error_text(error, "track")), file=sys.stderr)
        return 1
    notes = [c for c in ("rule", "suppressed_reason") if c in table.columns]
    shown = table.assign(**{c: table[c].map(str) for c in notes})
    print(shown.to_string(index=False))
    if table.attrs.get("note"):
        print("\n" + str(table.attrs["note"]))
    written = _write_files(Path(args.output_dir), {
        "track.csv": partial(write_csv, shown),
        "track.xlsx": partial(write_excel, {"track": shown}),
        "track.png": lambda path: _track_figure(table, path, args.lang)})
    print("\n" + say("present.cli.wrote", paths=", ".join(str(p) for p in written)))
    return 0


def _track_figure(table, path: Path, lang: str) -> Path:
    from matplotlib.figure import Figure

    from .plots import control_chart

    by = table.attrs.get("by")
    groups = list(dict.fromkeys(table[by])) if by else [None]
    if len(groups) > MAX_CHARTS:
        print(say("present.cli.track_groups_cut", shown=MAX_CHARTS, total=len(groups), by=by))
        groups = groups[:MAX_CHARTS]
    figure = Figure(figsize=(8.0, 3.6 * len(groups)), layout="constrained")
    for position, group in enumerate(groups, start=1):
        control_chart(table, ax=figure.add_subplot(len(groups), 1, position), group=group, lang=lang,
                      title=None if group is None else f"{by} = {group}")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    return path


def _synthesize(args) -> int:
    from ..bundled.synthetic import write_synthetic_dataset

    path = write_synthetic_dataset(args.directory, force=args.force)
    print(say("present.cli.wrote_synthetic", path=path))
    return 0


_COMMANDS = ("reproduce", "validate", "report", "compare", "track", "synthesize")


def build_parser(commands=None) -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests). ``commands``: the commands
    whose options are added (default all; the others are listed with their help only)."""
    def full(command: str) -> bool:
        return commands is None or command in commands

    parser = argparse.ArgumentParser(
        prog="survey-analysis",
        description="Satisfaction rates with honest confidence intervals, and published claims checked.")
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("reproduce", help="headline table and figure on the bundled (SYNTHETIC) data "
                                           "or on --data FILE")
    rep.add_argument("--data", help="a response sheet to use instead of the bundled synthetic data")
    rep.add_argument("-o", "--output-dir", default="reports", help="folder for tables and figure "
                                                                   "(default: reports)")
    if full("reproduce"):
        _add_analysis_flags(rep)
        _add_load_flags(rep)
    rep.set_defaults(run=_reproduce)

    val = sub.add_parser("validate", help="load a response sheet and print its load report "
                                          "(exit status 1 when it has errors)")
    val.add_argument("file", help="CSV, Excel (.xlsx) or Parquet response sheet, or a table of counts "
                                  "with --counts")
    val.add_argument("--counts", nargs="+", metavar="NAME=HEADER",
                     help="the file is a table of counts per unit, named as for report --counts "
                          "(item=HEADER n=HEADER percent=HEADER ...): print its ledger")
    val.add_argument("--lang", choices=("en", "zh"), default=None,
                     help="language of the load report and of errors (default: en; an error about a "
                          "sheet in Chinese is said in both)")
    _add_load_flags(val)
    val.set_defaults(run=_validate)

    rpt = sub.add_parser("report", help="self-contained HTML report plus CSV and Excel tables for "
                                        "FILE (default: the bundled SYNTHETIC data)")
    rpt.add_argument("file", nargs="?", help="response sheet (CSV, Excel, Parquet)")
    # Not "reports" itself, where reproduce writes: the two commands in turn must both work.
    rpt.add_argument("-o", "--output-dir", default="reports/report",
                     help="output folder, written as a whole (default: reports/report); one that "
                          "already holds files is replaced only with --force")
    rpt.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language (default: zh)")
    rpt.add_argument("--force", action="store_true",
                     help="replace the output folder when it already holds files: only a folder "
                          "holding nothing but a previous report (write_report(force=True))")
    if full("report"):
        _add_analysis_flags(rpt)
        _add_load_flags(rpt)
    rpt.set_defaults(run=_report)

    cmp = sub.add_parser("compare", help="two survey rounds compared, overall (design-based) and per "
                                         "item (multiplicity-adjusted): one file per round, or one "
                                         "file with a round column")
    cmp.add_argument("files", nargs="+", help="response sheets, earliest round first (CSV, Excel, "
                                              "Parquet)")
    cmp.add_argument("-o", "--output-dir", default="reports", help="output folder (default: reports)")
    cmp.add_argument("--lang", choices=("zh", "en"), default="en", help="summary and figure language "
                                                                        "(default: en)")
    if full("compare"):
        _add_option_flags(cmp, "the comparison (options of compare_rounds)", _compare_flags(), "compare")
        _add_load_flags(cmp)
    cmp.set_defaults(run=_compare)

    trk = sub.add_parser("track", help="the rate of each period (month, quarter, week) with control "
                                       "limits and special-cause signals: table (CSV, Excel) and chart")
    trk.add_argument("file", help="response sheet with a column of periods or dates (CSV, Excel, Parquet)")
    trk.add_argument("-o", "--output-dir", default="reports", help="output folder (default: reports)")
    trk.add_argument("--lang", choices=("zh", "en"), default="zh", help="chart language (default: zh)")
    if full("track"):
        _add_option_flags(trk, "the chart (options of track)", _track_flags(), "track")
        _add_load_flags(trk)
    trk.set_defaults(run=_track)

    syn = sub.add_parser("synthesize", help="regenerate the SYNTHETIC demo responses into DIRECTORY")
    syn.add_argument("directory", nargs="?", default="data/synthetic")
    syn.add_argument("--force", action="store_true",
                     help="replace responses_synthetic.csv and ASSUMPTIONS.md when the folder "
                          "already holds them")
    syn.set_defaults(run=_synthesize)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``survey-analysis`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # Only the command given gets its options (`--help` alone lists the commands).
    command = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser({command} if command in _COMMANDS else ()).parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, OSError) as error:
        # Bad options or data, a missing file, a folder that cannot be written (read-only,
        # disk full): a one-line message, not a traceback.
        print(_error_line(error, args.command), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
