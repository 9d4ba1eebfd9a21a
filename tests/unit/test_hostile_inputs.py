"""No input may hang gwrkit. Each text below once took time that grew with the square
of its size (a regex retried at every character of a run, a scan back to the start of
a paragraph for every trigger, a sentence re-read for every figure in it); at these
sizes the quadratic code ran for minutes. They are parsed in a child process with a
deadline far above what a linear pass needs, so that a regression fails instead of
hanging the suite."""
import subprocess
import sys
import textwrap

DEADLINE_S = 120

SCRIPT = textwrap.dedent("""
    from gwrkit.pipeline import parse_text
    from tests.helpers import report_text

    base = report_text("江门市")
    review, targets = "过去一年", "全市经济社会发展的主要预期目标是"
    cases = {
        "a run of digits after an indicator": base.replace(review, review + "地区生产总值增长" + "1" * 60000, 1),
        "a run of Chinese numerals": base.replace(review, review + "地区生产总值" + "一" * 60000, 1),
        "a paragraph of triggers without a full stop": base.replace(targets, "主要预期目标" * 90000 + targets, 1),
        "unclosed comments": "<!--" * 60000 + base,
        "a sentence of thousands of figures": base.replace(
            review, review + "," + ",".join(f"地区生产总值增长{i % 9}.5%" for i in range(15000)) + "。", 1),
    }
    for name, text in cases.items():
        doc = parse_text(text)
        assert len(doc.reports) == 1, name
        print(name, flush=True)
""")


def test_hostile_inputs_are_read_in_one_pass():
    run = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=DEADLINE_S)
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(run.stdout.splitlines()) == 5
