"""Write a table (a pandas DataFrame) as CSV, JSON, Parquet, Stata or Excel.

One function for every command that prints rows, so that each format means the same
everywhere: CSV and JSON go to stdout or a file; Parquet (pyarrow), Stata 118 (.dta,
UTF-8, with variable labels) and Excel (.xlsx) are binary and need a file.
"""
from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

TEXT_FORMATS = ("csv", "json")
FILE_FORMATS = ("parquet", "dta", "xlsx")
FORMATS = ("table",) + TEXT_FORMATS + FILE_FORMATS
STATA_STRING_MAX = 2045        # longer strings are written as strL


class ExportError(ValueError):
    """A format or destination that cannot be written; the message says why."""


def whole_numbers(frame, columns):
    """Integer columns with missing values as pandas' nullable Int64, so that a year is
    written 2025, not 2025.0."""
    for col in columns:
        if col in frame.columns:
            frame[col] = frame[col].astype("Int64")
    return frame


def check_format(fmt: str, output: str | Path | None, allowed: tuple[str, ...] = FORMATS) -> None:
    if fmt not in allowed:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(allowed)})")
    if fmt in FILE_FORMATS and output is None:
        raise ExportError(f"--format {fmt} writes a binary file: give --output FILE")


def _plain(value):
    """A cell as CSV/Stata/Excel can hold it: lists and dicts become JSON text."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def _json_value(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None                               # strict JSON has no NaN or Infinity
    if hasattr(value, "item"):                    # numpy scalars
        return _json_value(value.item())
    return value


def records(frame) -> list[dict]:
    """Rows as plain dicts, missing values as None (JSON null)."""
    cols = list(frame.columns)
    return [{c: _json_value(v) if not _is_missing(v) else None for c, v in zip(cols, row)}
            for row in frame.itertuples(index=False, name=None)]


def _is_missing(value) -> bool:
    if isinstance(value, (list, tuple, dict, str)):
        return False
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def write(frame, fmt: str, output: str | Path | None = None, *, labels: dict[str, str] | None = None) -> None:
    """Write ``frame`` in ``fmt`` to ``output`` (stdout for csv/json when None).
    ``labels``: column -> description, kept as Stata variable labels."""
    check_format(fmt, output)
    if fmt == "json":
        text = json.dumps(records(frame), ensure_ascii=False, indent=1)
        _text_out(text + "\n", output)
    elif fmt == "csv":
        flat = frame.apply(lambda col: col.map(_plain)) if len(frame) else frame
        _text_out(flat.to_csv(index=False), output)
    elif fmt == "parquet":
        frame.map(_plain).to_parquet(output, index=False, engine="pyarrow")
    elif fmt == "xlsx":
        frame.map(_plain).to_excel(output, index=False, engine="openpyxl")
    elif fmt == "dta":
        _write_stata(frame, output, labels or {})
    else:
        raise ExportError("a table is printed by the command itself")


def _text_out(text: str, output) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


STATA_RESERVED = frozenset(
    "aggregate array boolean break byte case catch class colvector complex const continue default delegate delete"
    " do double else eltypedef end enum explicit export external float for friend function global goto if inline"
    " int local long NULL pragma protected quad rowvector short typedef typename virtual _all _N _skip _b _pi"
    " str# in _pred strL _coef _rc using _cons _se with _n".split())


def stata_name(column: str) -> str:
    """A valid Stata variable name: letters, digits and _, at most 32 characters, not a
    reserved word (end -> end_)."""
    name = re.sub(r"\W", "_", column, flags=re.ASCII)[:32]
    name = name if re.match(r"[A-Za-z_]", name) else f"v_{name}"[:32]
    return f"{name[:31]}_" if name in STATA_RESERVED else name


def _write_stata(frame, output, labels: dict[str, str]) -> None:
    import pandas as pd

    out = frame.map(_plain).copy()
    strl = []
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "" if v is None or _is_missing(v) else str(v)).astype(object)
            if max((len(v.encode("utf-8")) for v in out[col]), default=0) > STATA_STRING_MAX:
                strl.append(col)
        elif pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype("int8")
    names: dict[str, str] = {}
    for col in out.columns:                   # names cut to 32 characters must stay distinct
        name, n = stata_name(col), 1
        while name in names.values():
            n += 1
            name = f"{stata_name(col)[:32 - len(str(n)) - 1]}_{n}"
        names[col] = name
    out = out.rename(columns=names)
    # a label keeps the full column name where the variable name had to be cut
    out.to_stata(output, write_index=False, version=118, convert_strl=[names[c] for c in strl],
                 variable_labels={names[c]: (labels.get(c, c) if names[c] == c else c)[:80]
                                  for c in names})
