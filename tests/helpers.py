"""Small builders for test inputs (files the tests write themselves)."""
from __future__ import annotations


def minimal_pdf(lines: list[str] | None) -> bytes:
    """A valid one-page PDF; with ``lines`` it has a text layer (ASCII, Helvetica),
    with None the page has no text at all (like a scan without OCR)."""
    if lines:
        ops = ["BT /F1 12 Tf 72 720 Td 14 TL"] + [f"({s}) Tj T*" for s in lines] + ["ET"]
        content = "\n".join(ops).encode()
    else:
        content = b"0 0 1 rg 10 10 50 50 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_of(objects)


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF file of these objects (numbered from 1; object 1 is the catalog), with its
    cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


REPORT = """{title}
——{date}在{place}第十六届人民代表大会第三次会议上
{place}人民政府{office} {speaker}
各位代表：
现在，我代表{place}人民政府，向大会报告工作，请予审议，并请各位政协委员提出意见。
一、{review}年工作回顾
过去一年，我们坚持稳中求进工作总基调，全{lvl}经济运行稳中有进。全年地区生产总值增长5.2%，一般公共预算收入增长4.1%。
（一）产业转型持续推进。新增高新技术企业120家，建成一批重点项目，制造业增加值占比稳步提高。
二、{plan}年工作安排
{plan}年是实施“十五五”规划的开局之年。全{lvl}经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇调查失业率5.5%以内。
（一）加快建设现代化产业体系。实施重点产业链培育工程，推进传统产业改造升级，力争新增规上工业企业100家。
三、加强政府自身建设
坚持依法行政，自觉接受人大监督，推进政务公开，持续整治形式主义为基层减负。
各位代表！让我们更加紧密地团结在以习近平同志为核心的党中央周围，奋力谱写新篇章！
"""


def report_text(place="江门市", office="市长", speaker="王小明", title=None, date="2026年1月20日",
                review=2025, plan=2026, lvl="市") -> str:
    return REPORT.format(place=place, office=office, speaker=speaker,
                         title=title if title is not None else f"{plan}年{place}政府工作报告",
                         date=date, review=review, plan=plan, lvl=lvl)


def pdf_compilation(reports: list[str], title: str = "2023年政府工作报告汇编", per_line: int = 36,
                    lines_per_page: int = 40, contents: bool = True) -> bytes:
    """A PDF laid out like a printed compilation: a table of contents, a running header
    and a page-number footer on every page, each report on a new page, paragraphs
    hard-wrapped at the line width with a two-space first-line indent."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pages: list[list[str]] = []

    def layout(text: str) -> list[list[str]]:
        lines = []
        for para in text.strip().split("\n"):
            para = "　　" + para if len(para) > per_line // 2 else para
            lines += [para[i:i + per_line] for i in range(0, len(para), per_line)] or [""]
        return [lines[i:i + lines_per_page] for i in range(0, len(lines), lines_per_page)]

    bodies = [layout(r) for r in reports]
    first_page, toc = 2, []
    for r, body in zip(reports, bodies):
        toc.append(f"{r.splitlines()[0]}……………………{first_page}")
        first_page += len(body)
    if contents:
        pages.append([title, "", "目　录", ""] + toc)
    for body in bodies:
        pages += body
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n, lines in enumerate(pages, 1):
        c.setFont("STSong-Light", 9)
        c.drawString(250, 800, title)
        c.drawString(290, 30, f"— {n} —")
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(60, 770 - 18 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def empty_store(path, encoding: str) -> None:
    """An empty SQLite file of that text encoding, as an earlier gwrkit made them (UTF-8);
    gwrkit keeps the encoding of a store it did not create."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA encoding='{encoding}'")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.commit()
    conn.close()
