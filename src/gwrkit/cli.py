"""Command line: ``gwrkit ingest|reports|show|extract|evaluate``."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .api import DEFAULT_DB
from .ingest.readers import DEFAULT_MAX_BYTES

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Chinese government work reports (政府工作报告) as clean, traceable data.")

DbOption = typer.Option(DEFAULT_DB, "--db", help="SQLite database file.")


def _err(message: str) -> None:
    typer.echo(message, err=True)


def _cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system says)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def _one_line(path) -> str:
    """A path as it goes into a one-line message: control characters (a newline in a
    file name) written as escapes, and bytes that are not UTF-8 as \\xNN (as path_key
    writes them in the store)."""
    text = str(path)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:          # a surrogate no file name decodes to: escaped below
        pass
    return "".join(c if c.isprintable() or c == "\u3000" else c.encode("unicode_escape").decode("ascii")
                   for c in text)


LexiconOption = typer.Option(None, "--lexicon", envvar="GWRKIT_LEXICON",
                             help="Your own indicators CSV, merged into the built-in one [env: GWRKIT_LEXICON].")


def _use_lexicon(path: Optional[Path]) -> Optional[Path]:
    """The --lexicon file (or $GWRKIT_LEXICON), checked to exist."""
    return _user_file(path, "lexicon")


def _user_file(path: Optional[Path], what: str) -> Optional[Path]:
    """A file the user names for an option: it must exist and be a regular file (a FIFO
    named here would block the command forever)."""
    from .ingest.readers import special_file

    if path is None:
        return None
    if not path.exists():
        _err(f"error: {path}: {what} file not found")
        raise typer.Exit(2)
    kind = special_file(path.stat().st_mode)
    if kind:
        _err(f"error: {path}: {what} file is {kind}, not a regular file")
        raise typer.Exit(2)
    return path


LEVELS = ("national", "province", "prefecture", "county")
SECTION_KINDS = ("review", "targets", "tasks", "livelihood", "self_building", "other")
METRICS = ("growth", "level", "rate", "index", "rank")


def _one_of(*allowed: str):
    """An option callback: a value outside ``allowed`` is a usage error naming them."""
    def check(value: Optional[str]) -> Optional[str]:
        if value is not None and value not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}")
        return value
    return check


@app.command()
def ingest(paths: List[Path] = typer.Argument(..., help="Files or directories."),
           db: Path = DbOption,
           lexicon: Optional[Path] = LexiconOption,
           jobs: int = typer.Option(_cores(), "--jobs", "-j", min=1,
                                    help="Parse files in N processes (default: one per core)."),
           text_column: Optional[str] = typer.Option(None, help="Text column of CSV/JSONL input."),
           max_mb: float = typer.Option(DEFAULT_MAX_BYTES / 2**20,
                                        help="Refuse files larger than this many MB (large text, CSV and "
                                             "JSON files are read in pieces; PDF, DOCX and HTML have their "
                                             "own caps)."),
           search_index: bool = typer.Option(False, "--search-index",
                                             help="Also build the search index (kept in step once built)."),
           progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                                   help="Progress bar (default: on a terminal).")):
    """Read report files into the database, splitting compilations into reports."""
    from .api import ingest as run, input_files

    lexicon = _use_lexicon(lexicon)
    skipped: list = []
    files = input_files(paths, skipped)
    for path, why in skipped:
        _err(f"skipped: {_one_line(path)}: {why}")
    if not files:
        _err("error: no input files found" + (f" ({len(skipped)} skipped)" if skipped else ""))
        raise typer.Exit(1)
    show_bar = sys.stderr.isatty() if progress is None else progress

    def report(outcome) -> None:
        if outcome.status == "failed":
            _err(f"error: {_one_line(outcome.path)}: {outcome.reason}")
        for w in outcome.warnings:
            _err(f"warning: {_one_line(outcome.path)}: {w}")

    import sqlite3

    def ingest_all(on_file):
        try:
            return run(files, db, jobs=jobs, text_column=text_column, lexicon=lexicon,
                       max_bytes=int(max_mb * 2**20), on_file=on_file, search_index=search_index)
        except sqlite3.OperationalError as exc:
            # what was committed stays; the rest is read again on the next run
            _err(f"error: {db}: {exc} (another writer held it too long, or the disk is full); "
                 "files not stored are read again on the next run")
            raise typer.Exit(1) from None

    if show_bar:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("ingesting", total=len(files))

            def on_file(outcome) -> None:
                bar.advance(task)
                report(outcome)
            result = ingest_all(on_file)
    else:
        result = ingest_all(report)
    n_reports = sum(o.reports for o in result.outcomes)
    summary = ", ".join(f"{result.count(s)} {s}" for s in
                        ("ingested", "replaced", "unchanged", "duplicate", "failed") if result.count(s))
    also = f"; {len(skipped)} skipped (listed above)" if skipped else ""
    typer.echo(f"{len(files)} file(s): {summary}; {n_reports} report(s) stored in {db}{also}")
    unreadable = [p for p, why in skipped if why.startswith("folder")]
    if not result.ok or unreadable:
        raise typer.Exit(1)


@app.command()
def reports(db: Path = DbOption,
            region: Optional[str] = typer.Option(None, help="Region or province name contains."),
            year: Optional[int] = typer.Option(None, help="Plan or review year."),
            level: Optional[str] = typer.Option(None, help="national | province | prefecture | county",
                                                 callback=_one_of(*LEVELS)),
            fmt: str = typer.Option("table", "--format", help="table | csv | json",
                                   callback=_one_of("table", "csv", "json"))):
    """List stored reports, one line each."""
    from .api import reports as list_reports

    _require_db(db)
    rows = list_reports(db, region=region, year=year, level=level)
    cols = ["id", "region", "level", "province", "review_year", "plan_year", "delivered_on", "partial"]
    _emit_rows(rows, fmt, cols, {"partial": lambda v: "partial" if v else ""})


FIGURE_COLUMNS = ["report_id", "region", "indicator", "label", "metric", "value", "value_high", "unit",
                  "modifier", "stretch", "kind", "year", "evidence"]


@app.command()
def figures(db: Path = DbOption,
            region: Optional[str] = typer.Option(None, help="Region or province name contains."),
            year: Optional[int] = typer.Option(None, help="Year the figure is for."),
            indicator: Optional[str] = typer.Option(None, help="Indicator id (gdp, cpi, …)."),
            kind: Optional[str] = typer.Option(None, help="target | result | multi_year_target | "
                                                           "multi_year_result | ranking | other"),
            headline: bool = typer.Option(False, "--headline", help="Only main targets and headline results."),
            level: Optional[str] = typer.Option(None, help="national | province | prefecture | county",
                                                callback=_one_of(*LEVELS)),
            fmt: str = typer.Option("table", "--format", help="table | csv | json",
                                   callback=_one_of("table", "csv", "json"))):
    """Stored figures with their source: report, section, paragraph, span, evidence."""
    from .api import figures as query

    _require_db(db)
    rows = query(db, region=region, year=year, indicator=_indicator(indicator), kind=kind, headline=headline,
                 level=level)
    _emit_rows(rows, fmt, FIGURE_COLUMNS, {"evidence": lambda v: v[:40].replace("\n", " ")})


@app.command()
def targets(db: Path = DbOption,
            region: Optional[str] = typer.Option(None, help="Region or province name contains."),
            year: Optional[int] = typer.Option(None, help="Plan year."),
            level: Optional[str] = typer.Option(None, help="national | province | prefecture | county",
                                                callback=_one_of(*LEVELS)),
            indicator: Optional[str] = typer.Option(None, help="Indicator id (gdp, cpi, …)."),
            fmt: str = typer.Option("table", "--format", help="table (one line per report) | csv | json",
                                    callback=_one_of("table", "csv", "json"))):
    """Each report's headline targets for its plan year: one line per report, or one row
    per target as CSV/JSON (the columns of `gwrkit figures`)."""
    from .api import figures as query, reports as list_reports

    _require_db(db)
    rows = query(db, region=region, year=year, indicator=_indicator(indicator), kind="target", headline=True,
                 level=level)
    if fmt != "table":
        _emit_rows(rows, fmt, FIGURE_COLUMNS, {})
        return
    by_report: dict[int, list[str]] = {}
    for f in rows:
        by_report.setdefault(f["report_id"], []).append(_describe(f))
    for r in list_reports(db, region=region, year=year, level=level):
        if year is not None and r["plan_year"] != year:
            continue
        if indicator and r["id"] not in by_report:
            continue                     # reports without that target are not listed
        shown = by_report.get(r["id"])
        line = "; ".join(shown) if shown else "(no main targets in the text)"
        typer.echo(f"{r['region']} {r['plan_year'] or '(no plan year)'}: {line}")


COVERAGE_COLUMNS = ["report_id", "region", "level", "plan_year", "region_method", "missing", "reasons"]


@app.command()
def coverage(db: Path = DbOption,
             show_all: bool = typer.Option(False, "--all", help="List every report, not only those that lack something."),
             fmt: str = typer.Option("table", "--format", help="table | csv | json",
                                   callback=_one_of("table", "csv", "json"))):
    """What every report has (government and how, review and plan years, main-targets
    statement, headline GDP target) and, for what it lacks, why."""
    from .api import coverage as run

    _require_db(db)
    cov = run(db)
    rows = cov.reports if show_all else cov.missing
    if fmt == "json":
        typer.echo(json.dumps({"totals": cov.totals, "reports": rows}, ensure_ascii=False, indent=1))
        return
    flat = [{**r, "missing": ",".join(r["missing"]),
             "reasons": "; ".join(f"{k}: {v}" for k, v in r["reasons"].items())} for r in rows]
    if fmt == "csv":
        _emit_rows(flat, "csv", COVERAGE_COLUMNS, {})
        return
    t = cov.totals
    typer.echo(f"{t['reports']} report(s); {t['files_failed']} file(s) failed to read; {t['partial']} partial")
    for k in ("region", "review_year", "plan_year", "targets", "gdp_target"):
        c = t[k]
        typer.echo(f"  {k:<12} {c['found']:>6} found  {c['missing']:>6} missing  ({(c['rate'] or 0):.3f})")
    typer.echo(f"  government inferred from the places named: {t['region_inferred']['reports']}"
               f" ({t['region_inferred']['low_confidence']} with confidence < 0.6)")
    if flat:
        typer.echo("")
        _emit_rows(flat, "table", COVERAGE_COLUMNS, {"reasons": lambda v: v[:80]})


FormatOption = typer.Option("table", "--format", help="table | csv | json | parquet | dta | xlsx")
OutputOption = typer.Option(None, "--output", "-o", help="Write to this file (needed for parquet, dta, xlsx).")


def _emit_frame(frame, fmt: str, output: Optional[Path], table_columns: list[str],
                shown: dict | None = None, labels: dict | None = None) -> None:
    """A DataFrame as a table of ``table_columns`` or exported in ``fmt``."""
    from .export import ExportError, write

    if fmt == "table" and output is None:
        rows = frame.to_dict("records")
        shown = shown or {}
        _print_table(table_columns, [[shown.get(c, _cell)(r.get(c)) for c in table_columns] for r in rows])
        return
    try:
        write(frame, "csv" if fmt == "table" else fmt, output, labels=labels)
    except ExportError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(2) from None
    except OSError as exc:
        _err(f"error: {output}: cannot write ({exc.strerror or exc})")
        raise typer.Exit(1) from None
    if output is not None:
        _err(f"wrote {len(frame)} row(s) to {output}")


def _check_format(fmt: str, output: Optional[Path]) -> None:
    from .export import ExportError, check_format

    try:
        check_format(fmt, output)
    except ExportError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(2) from None


@app.command()
def index(db: Path = DbOption,
          rebuild: bool = typer.Option(False, "--rebuild", help="Build it again even if it exists.")):
    """Build the search index (once; ingest keeps it up to date after that). It is built
    on demand because it costs more than ingest itself: about 0.6 s per million characters."""
    import sqlite3

    from .api import index as run

    _require_db(db)
    try:
        done = run(db, rebuild=rebuild)
    except (sqlite3.DatabaseError, ValueError, OSError) as exc:
        _err(f"error: {exc}" if str(db) in str(exc) else f"error: {db}: {exc}")
        raise typer.Exit(1) from None
    if done["built"]:
        typer.echo(f"search index of {db}: {done['paragraphs']} paragraph(s) indexed in {done['seconds']} s")
    else:
        typer.echo(f"search index of {db}: already built and in step ({done['paragraphs']} paragraph(s));"
                   " --rebuild builds it again")


SEARCH_COLUMNS = ["report_id", "region", "plan_year", "section_kind", "start", "end", "snippet"]


@app.command()
def search(query: str = typer.Argument(..., help='Words or "phrases", with AND / OR / NOT and ( ).'),
           db: Path = DbOption,
           region: Optional[str] = typer.Option(None, help="Government name contains."),
           province: Optional[str] = typer.Option(None, help="Province name contains."),
           level: Optional[str] = typer.Option(None, help="national | province | prefecture | county", callback=_one_of(*LEVELS)),
           year_from: Optional[int] = typer.Option(None, "--from", help="Plan year from."),
           year_to: Optional[int] = typer.Option(None, "--to", help="Plan year to."),
           section: Optional[str] = typer.Option(None, help="Kind of part: review | targets | tasks | livelihood | "
                                                            "self_building | other", callback=_one_of(*SECTION_KINDS)),
           limit: int = typer.Option(20, min=1, help="At most this many paragraphs."),
           offset: int = typer.Option(0, min=0, help="Skip this many first."),
           fmt: str = FormatOption, output: Optional[Path] = OutputOption):
    """Paragraphs that contain the query (exact substrings, any length), best first,
    each with its report, span and a snippet with the matches in 【】."""
    import pandas as pd

    from .analysis.search import QueryError, search as run
    from .store.db import StoreOutdated

    _require_db(db)
    _check_format(fmt, output)
    try:
        rows = run(db, query, region=region, province=province, level=level, year_from=year_from,
                   year_to=year_to, section=section, limit=limit, offset=offset)
    except QueryError as exc:
        _err(f"error: query: {exc}")
        raise typer.Exit(2) from None
    except StoreOutdated as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1) from None
    frame = pd.DataFrame(rows, columns=None if rows else SEARCH_COLUMNS + ["path"])
    _emit_frame(frame, fmt, output, SEARCH_COLUMNS, {"snippet": lambda v: v[:70]})


def _indicator(value: Optional[str], lexicon: Optional[Path] = None) -> Optional[str]:
    """An indicator id as the lexicon spells it (GDP -> gdp); unknown ids are an error."""
    if value is None:
        return None
    from .extract.lexicon import resolve_lexicon

    try:
        return resolve_lexicon(lexicon).indicator_id(value)
    except ValueError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(2) from None


def _panel_filters(indicator, metric, level, region, province, year_from, year_to, tolerance, range_end,
                   lexicon) -> dict:
    """The arguments scorecard and panel pass to gwrkit.analysis.panel."""
    return dict(indicator=_indicator(indicator, lexicon), metric=metric, level=level, region=region,
                province=province, year_from=year_from, year_to=year_to, rules=_rules(tolerance, range_end),
                lexicon=lexicon)


def _rules(tolerance: float, range_end: str):
    from .analysis.panel import GradingRules

    if range_end not in ("lenient", "low", "high"):
        _err(f"error: --range-end must be lenient, low or high, not {range_end!r}")
        raise typer.Exit(2)
    return GradingRules(tolerance=tolerance, range_end=range_end)


ToleranceOption = typer.Option(0.5, "--tolerance", min=0, help="Points an 'around' (左右) target may be missed by.")
RangeEndOption = typer.Option("lenient", "--range-end", help="A range target is graded against its lenient end "
                                                              "(low when higher is better), or low, or high.")
SCORECARD_COLUMNS = ["region", "year", "indicator", "metric", "target_value", "target_high", "modifier",
                     "outcome_value", "verdict", "gap", "reason"]


# options the analysis commands share (one definition, one help text)
IndicatorOption = typer.Option(None, "--indicator", help="Indicator id (gdp, cpi, …); default all.")
MetricOption = typer.Option(None, "--metric", help="growth | level | rate", callback=_one_of(*METRICS))
LevelOption = typer.Option(None, "--level", help="national | province | prefecture | county",
                           callback=_one_of(*LEVELS))
RegionOption = typer.Option(None, "--region", help="Government name contains.")
ProvinceOption = typer.Option(None, "--province", help="Province name contains.")
FromOption = typer.Option(None, "--from", help="Year from.")
ToOption = typer.Option(None, "--to", help="Year to.")


@app.command()
def scorecard(db: Path = DbOption,
              indicator: Optional[str] = IndicatorOption, metric: Optional[str] = MetricOption,
              level: Optional[str] = LevelOption, region: Optional[str] = RegionOption,
              province: Optional[str] = ProvinceOption, year_from: Optional[int] = FromOption,
              year_to: Optional[int] = ToOption,
              tolerance: float = ToleranceOption, range_end: str = RangeEndOption,
              lexicon: Optional[Path] = LexiconOption,
              fmt: str = FormatOption, output: Optional[Path] = OutputOption):
    """Each target against its outcome: one row per government, year, indicator and
    metric, with the verdict (met / missed / not_gradable) and the gap."""
    from .analysis.panel import LABELS, scorecard as run

    _require_db(db)
    _check_format(fmt, output)
    lexicon = _use_lexicon(lexicon)
    frame = run(db, **_panel_filters(indicator, metric, level, region, province, year_from, year_to, tolerance,
                                     range_end, lexicon))
    _emit_frame(frame, fmt, output, SCORECARD_COLUMNS, {"reason": lambda v: (v or "")[:40]}, labels=LABELS)
    if fmt == "table" and output is None:
        counts = frame["verdict"].value_counts()
        typer.echo(f"{len(frame)} target(s): " + ", ".join(f"{counts.get(v, 0)} {v}"
                                                          for v in ("met", "missed", "not_gradable")))


@app.command()
def panel(db: Path = DbOption,
          indicator: Optional[str] = IndicatorOption, metric: Optional[str] = MetricOption,
          level: Optional[str] = LevelOption, region: Optional[str] = RegionOption,
          province: Optional[str] = ProvinceOption, year_from: Optional[int] = FromOption,
          year_to: Optional[int] = ToOption,
          tolerance: float = ToleranceOption, range_end: str = RangeEndOption,
          lexicon: Optional[Path] = LexiconOption,
          fmt: str = typer.Option("csv", "--format", help="csv | json | parquet | dta | xlsx"),
          output: Optional[Path] = OutputOption):
    """The wide panel for econometrics: one row per government-year, with columns like
    gdp_growth_target, gdp_growth_modifier, gdp_growth_outcome, gdp_growth_verdict."""
    from .analysis.panel import panel as run, panel_labels

    _require_db(db)
    _check_format(fmt, output)
    lexicon = _use_lexicon(lexicon)
    frame = run(db, **_panel_filters(indicator, metric, level, region, province, year_from, year_to, tolerance,
                                     range_end, lexicon))
    _emit_frame(frame, fmt, output, list(frame.columns[:8]), labels=panel_labels(frame))


ATTENTION_COLUMNS = ["report_id", "region", "plan_year", "topic", "count", "per_10k"]


@app.command()
def attention(db: Path = DbOption,
              topic: Optional[List[str]] = typer.Option(None, "--topic", help="Only this topic (repeatable)."),
              by: Optional[str] = typer.Option(None, help="Trend: sum by year, level, province, region, "
                                                           "section_kind (comma-separated)."),
              by_section: bool = typer.Option(False, "--by-section", help="Count per kind of part (review, tasks, …)."),
              kwic: bool = typer.Option(False, "--kwic", help="Keyword-in-context lines with report and span."),
              term: Optional[str] = typer.Option(None, help="With --kwic: only this term."),
              topics: Optional[Path] = typer.Option(None, "--topics", help="Your own topics, CSV (topic,term) or "
                                                                          "YAML ({topic: [terms]}), added to the built-in ones."),
              region: Optional[str] = typer.Option(None, help="Government name contains."),
              level: Optional[str] = typer.Option(None, help="national | province | prefecture | county", callback=_one_of(*LEVELS)),
              province: Optional[str] = typer.Option(None, help="Province name contains."),
              year_from: Optional[int] = typer.Option(None, "--from", help="Plan year from."),
              year_to: Optional[int] = typer.Option(None, "--to", help="Plan year to."),
              limit: int = typer.Option(100, min=1, help="With --kwic: at most this many lines."),
              fmt: str = FormatOption, output: Optional[Path] = OutputOption):
    """Attention to policy topics: hits of each topic's terms per report (substring,
    leftmost-longest over all topics), per 10,000 characters; trends; keywords in context."""
    from .analysis.attention import TopicsError, attention as count, kwic as lines, load_topics, trend

    _require_db(db)
    _check_format(fmt, output)
    _user_file(topics, "topics")
    filters = dict(region=region, level=level, province=province, year_from=year_from, year_to=year_to)
    try:
        lex = load_topics(topics)
        if kwic:
            if topic and len(topic) > 1:
                raise TopicsError("--kwic takes one --topic")
            frame = lines(db, topics=lex, topic=topic[0] if topic else None, term=term, limit=limit, **filters)
            _emit_frame(frame, fmt, output, ["report_id", "region", "plan_year", "start", "left", "match", "right"])
            return
        groups = [g.strip() for g in by.split(",") if g.strip()] if by else []
        frame = count(db, topics=lex, topic=topic or None, by_section=by_section or "section_kind" in groups,
                      **filters)
        if groups:
            frame = trend(frame, groups)
            _emit_frame(frame, fmt, output, groups + ["topic", "reports", "count", "per_10k"])
            return
    except TopicsError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(2) from None
    cols = ATTENTION_COLUMNS[:3] + (["section_kind"] if by_section else []) + ATTENTION_COLUMNS[3:]
    _emit_frame(frame, fmt, output, cols)


COMPARE_TABLES = {
    "metadata": ["field", "a", "b"],
    "targets": ["indicator", "metric", "a_value", "a_modifier", "b_value", "b_modifier", "difference", "status"],
    "attention": ["topic", "a_per_10k", "b_per_10k", "difference"],
    "sections": ["kind", "a_chars", "b_chars", "similarity"],
    "paragraphs": ["a_paragraph", "b_paragraph", "similarity", "a_text"],
}


@app.command()
def compare(a: int = typer.Argument(..., help="Report id (see `gwrkit reports`)."),
            b: int = typer.Argument(..., help="Report id."),
            db: Path = DbOption,
            part: Optional[str] = typer.Option(None, help="Only one part: metadata | targets | attention | "
                                                           "sections | paragraphs (needed for csv, parquet, dta, xlsx)."),
            fmt: str = FormatOption, output: Optional[Path] = OutputOption):
    """Two reports side by side: metadata, main targets and their differences, attention
    profiles, sections matched by kind with a similarity, and the paragraphs they share."""
    from .analysis.compare import Comparison, compare as run

    _require_db(db)
    _check_format(fmt, output)
    if part is not None and part not in Comparison.PARTS:
        _err(f"error: --part must be one of {', '.join(Comparison.PARTS)}, not {part!r}")
        raise typer.Exit(2)
    try:
        result = run(db, a, b)
    except LookupError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1) from None
    if part is not None:
        _emit_frame(getattr(result, part), fmt, output, COMPARE_TABLES[part],
                    {"a_text": lambda v: (v or "")[:40]})
    elif fmt == "json":
        text = json.dumps(result.as_dict(), ensure_ascii=False, indent=1)
        if output is None:
            typer.echo(text)
        else:
            output.write_text(text + "\n", encoding="utf-8")
    elif fmt == "table" and output is None:
        for name in Comparison.PARTS:
            typer.echo(f"\n{name}")
            _emit_frame(getattr(result, name).head(30), "table", None, COMPARE_TABLES[name],
                        {"a_text": lambda v: (v or "")[:40]})
    else:
        _err(f"error: --format {fmt} writes one table: choose it with --part")
        raise typer.Exit(2)


REUSE_TABLES = {
    "pairs": ["report_a", "report_b", "region_a", "year_a", "region_b", "year_b", "similarity", "shared_chars",
              "direction"],
    "paragraphs": ["report_a", "paragraph_a", "report_b", "paragraph_b", "similarity", "shared_chars"],
    "reports": ["report_id", "region", "plan_year", "chars", "reused_share", "first_elsewhere_share"],
    "common": ["family", "reports", "governments", "first_region", "first_year", "text"],
}


@app.command()
def reuse(db: Path = DbOption,
          part: str = typer.Option("pairs", help="pairs (of reports) | paragraphs (matched pairs) | reports "
                                                  "(how much of each is reused, and found elsewhere first) | common "
                                                  "(formula text found in many reports)"),
          scope: str = typer.Option("all", help="all | governments (different governments) | years (one "
                                                "government across years)"),
          region: Optional[str] = typer.Option(None, help="Only pairs with a report of this government or province."),
          min_similarity: float = typer.Option(0.8, min=0.0, max=1.0, help="Verified similarity a pair needs."),
          min_chars: int = typer.Option(40, min=1, help="Ignore paragraphs shorter than this."),
          jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes."),
          fmt: str = FormatOption, output: Optional[Path] = OutputOption):
    """Near-duplicate paragraphs between reports (MinHash LSH on character n-grams, then
    verified), summed per pair of reports with the direction earlier -> later."""
    from .analysis.reuse import ReuseOptions, reuse as run

    _require_db(db)
    _check_format(fmt, output)
    if part not in REUSE_TABLES:
        _err(f"error: --part must be one of {', '.join(REUSE_TABLES)}, not {part!r}")
        raise typer.Exit(2)
    try:
        result = run(db, ReuseOptions(scope=scope, min_similarity=min_similarity, min_chars=min_chars, jobs=jobs),
                     region=region)
    except ValueError as exc:
        _err(f"error: {exc}")
        raise typer.Exit(2) from None
    frame = {"pairs": result.pairs_frame, "paragraphs": result.paragraphs_frame, "reports": result.reports_frame,
             "common": result.common_frame}[part]()
    _emit_frame(frame, fmt, output, REUSE_TABLES[part], {"text": lambda v: (v or "")[:30]})


def _describe(f: dict) -> str:
    label = f["indicator"] if f["indicator"] != "other" else f["label"]
    if f["value"] is None:
        return f"{label} qualitative"
    value = f"{f['value']:g}" + (f"–{f['value_high']:g}" if f["value_high"] is not None else "")
    mod = {"around": " 左右", "at_least": " 以上", "at_most": " 以内"}.get(f["modifier"], "")
    stretch = f" (力争 {f['stretch']:g})" if f["stretch"] is not None else ""
    return f"{label} {f['metric']} {value}{f['unit'] or ''}{mod}{stretch}"


@app.command()
def show(report_id: int = typer.Argument(..., help="Report id (see `gwrkit reports`)."),
         db: Path = DbOption):
    """One report's metadata and outline."""
    from .api import show as get

    _require_db(db)
    r = get(report_id, db)
    if r is None:
        _err(f"error: no report {report_id} in {db}")
        raise typer.Exit(1)
    fields = ["region", "region_code", "level", "province", "delivered_on", "congress_term",
              "congress_session", "speaker", "title", "title_year", "review_year", "plan_year"]
    typer.echo(f"report {r['id']}  ({r['path']}, characters {r['start']}-{r['end']})")
    for f in fields:
        typer.echo(f"  {f:17} {_cell(r[f])}")
    typer.echo(f"  {'region_method':17} {r['region_method']} (confidence {r['region_confidence']})")
    if r["partial"]:
        typer.echo(f"  {'partial':17} " + "; ".join(r["partial_reasons"]))
    for seg in r["excluded"]:
        typer.echo(f"  {'excluded':17} {seg['kind']} {seg['start']}-{seg['end']}: {seg['reason']}")
    typer.echo(f"outline ({len(r['sections'])} sections, {r['n_paragraphs']} paragraphs):")
    for s in r["sections"]:
        if s["level"] <= 2:
            typer.echo(f"  {'  ' * (s['level'] - 1)}{s['title'][:60]}  [{s['kind']}]")


@app.command()
def extract(file: Path = typer.Argument(..., help="One input file."),
            as_json: bool = typer.Option(False, "--json", help="Print schema v1 JSON."),
            text_column: Optional[str] = typer.Option(None, help="Text column of CSV/JSONL input."),
            lexicon: Optional[Path] = LexiconOption):
    """Extract one file's reports without a database."""
    from .api import extract as run
    from .ingest.readers import InputError

    lexicon = _use_lexicon(lexicon)
    try:
        doc = run(file, text_column=text_column, lexicon=lexicon)
    except InputError as exc:
        _err(f"error: {file}: {exc}")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    cols = ["region", "level", "province", "review_year", "plan_year", "delivered_on", "speaker"]
    _print_table(["#"] + cols + ["targets", "results"],
                 [[str(i)] + [_cell(r[c]) for c in cols] + [str(len(r["targets"])), str(len(r["actuals"]))]
                  for i, r in enumerate(doc["reports"])])


@app.command()
def evaluate(gold: Path = typer.Option(..., help="Folder of gold JSON files (schema v1)."),
             corpus: Path = typer.Option(..., help="Folder holding the gold files' sources."),
             verbose: bool = typer.Option(False, "--verbose", "-v", help="List every miss.")):
    """Score extraction against gold files."""
    from .evaluate import META, evaluate as run

    ev = run(gold, corpus)
    rows = []
    for fs in ev.files:
        rows.append([fs.source[:40], f"{fs.reports_paired}/{fs.reports_gold} ({fs.reports_system})",
                     f"{fs.meta:.3f}", *(_f1(c) for c in (fs.targets, fs.actuals))])
        if verbose:
            for issue in fs.issues:
                rows.append(["  " + issue[:110], "", "", "", ""])
    tot = ev.totals()
    rows.append(["TOTAL", f"{tot['reports_paired']}/{tot['reports_gold']} ({tot['reports_system']})",
                 f"{tot['meta']:.3f}", _f1(tot["targets"]), _f1(tot["actuals"])])
    _print_table(["source", "reports paired/gold (system)", "metadata", "targets P/R/F1",
                  "actuals P/R/F1"], rows)
    typer.echo("metadata accuracy by field: " +
               ", ".join(f"{f} {tot['meta_by_field'][f]:.3f}" for f in META))
    for failure in ev.failures:
        _err(f"error: {failure}")
    if ev.failures:
        raise typer.Exit(1)


def _emit_rows(rows: list[dict], fmt: str, table_columns: list[str], shown: dict) -> None:
    """Rows as JSON, CSV (every column) or a table of ``table_columns``; ``shown``
    maps a column to how the table writes its value."""
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else table_columns)
        w.writeheader()
        w.writerows(rows)
    else:
        _print_table(table_columns, [[shown.get(c, _cell)(r[c]) for c in table_columns] for r in rows])


def _f1(c) -> str:
    p, r, f = c.prf()
    return f"{p:.3f}/{r:.3f}/{f:.3f} ({c.tp}/{c.sys}/{c.gold})"


def _cell(v) -> str:
    return "" if v is None else str(v)


TABLE_MAX = 500       # rows a terminal table shows; --format csv|json gives them all, at once


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*header, show_lines=False, box=None, pad_edge=False)
    for row in rows[:TABLE_MAX]:
        table.add_row(*row)
    if len(rows) > TABLE_MAX:
        _err(f"(showing {TABLE_MAX} of {len(rows)} rows: use --format csv or json for all, or filter)")
    Console(width=max(100, min(200, sum(len(h) for h in header) * 3)), soft_wrap=False).print(table)


def _require_db(db: Path) -> None:
    if not Path(db).exists():
        _err(f"error: no database at {db} (run `gwrkit ingest` first)")
        raise typer.Exit(1)


@app.command()
def serve(db: Path = DbOption,
          host: str = typer.Option("127.0.0.1", help="Address to listen on."),
          port: int = typer.Option(8000, min=1, max=65535, help="Port.")):
    """The dashboard and the read-only REST API (docs at /docs) for one database."""
    import uvicorn

    from .web.app import create_app

    _require_db(db)
    try:
        app_ = create_app(db)
    except (ValueError, FileNotFoundError) as exc:
        _err(f"error: {exc}")
        raise typer.Exit(1) from None
    typer.echo(f"gwrkit: serving {db} (read-only) at http://{host}:{port}/  (API docs at /docs)")
    uvicorn.run(app_, host=host, port=port, log_level="warning")


def version_callback(value: bool):
    if value:
        typer.echo(f"gwrkit {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True)):
    """gwrkit: Chinese government work reports as clean, traceable data."""


def main() -> None:
    app()
