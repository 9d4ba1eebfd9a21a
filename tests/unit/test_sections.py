from gwrkit.pipeline import parse_text
from tests.helpers import report_text


def outline(text):
    r, = parse_text(text).reports
    return [(s.level, s.kind, s.title) for s in r.outline.sections]


def test_numbered_heading_tree_and_kinds():
    got = outline(report_text())
    assert got == [
        (1, "review", "一、2025年工作回顾"),
        (2, "review", "(一)产业转型持续推进。"),
        (1, "tasks", "二、2026年工作安排"),
        (2, "tasks", "(一)加快建设现代化产业体系。"),
        (1, "self_building", "三、加强政府自身建设"),
    ]


def test_unnumbered_part_headings_above_numbered_ones():
    text = report_text().replace("一、2025年工作回顾", "2025年工作回顾\n一、经济运行稳中有进") \
        .replace("二、2026年工作安排", "2026年重点任务\n一、加快建设现代化产业体系")
    got = outline(text)
    assert got[:2] == [(1, "review", "2025年工作回顾"), (2, "review", "一、经济运行稳中有进")]
    assert (1, "tasks", "2026年重点任务") in got and (2, "tasks", "一、加快建设现代化产业体系") in got


def test_markdown_and_bold_lead_headings():
    text = report_text().replace("一、2025年工作回顾", "## 本届政府工作回顾") \
        .replace("（一）产业转型持续推进。", "**五年接续奋斗，经济实力显著提升。**")
    got = outline(text)
    assert got[0] == (1, "review", "本届政府工作回顾")
    assert got[1] == (2, "review", "五年接续奋斗,经济实力显著提升。")


def test_targets_and_livelihood_sections():
    text = report_text().replace("二、2026年工作安排", "二、2026年经济社会发展的总体要求和主要目标") \
        .replace("三、加强政府自身建设", "三、2026年重点工作\n（一）办好十件民生实事\n新建幼儿园10所，改造老旧小区50个。\n四、加强政府自身建设")
    kinds = {title: kind for _, kind, title in outline(text)}
    assert kinds["二、2026年经济社会发展的总体要求和主要目标"] == "targets"
    assert kinds["三、2026年重点工作"] == "tasks"
    assert kinds["(一)办好十件民生实事"] == "livelihood"
    assert kinds["四、加强政府自身建设"] == "self_building"


def test_paragraphs_point_into_the_original_text():
    text = report_text()
    doc = parse_text(text)
    r, = doc.reports
    for p in r.outline.paragraphs:
        a, b = doc.original_span(p.start, p.end)
        assert text[a:b].replace("，", ",").replace("：", ":").replace("！", "!").replace("（", "(").replace("）", ")") \
            == doc.norm.text[p.start:p.end]


def test_plan_sections_named_in_other_ways():
    from gwrkit.structure.sections import heading_kind

    for title in ("三、2024年工作打算", "二、2024年工作思路和重点工作", "二、关于2024年工作的建议", "三、2026年主要工作"):
        assert heading_kind(title) == "tasks", title
    assert heading_kind("一、2025年主要工作和“十四五”发展成就") == "review"
