"""Peak memory of `gwrkit ingest` on one large input of each kind (issue 9, item 5).

    python benchmarks/memory.py [--lawtext DIR] [--work DIR] [--only NAME ...]
                                [--python PATH] [--src DIR]

Builds the inputs from the unpacked lawtext corpus (folders = governments, files =
years; default ../lawtext, else ../shared/corpora/lawtext-reports.tar.xz is unpacked)
and runs one `gwrkit ingest FILE --db NEW.db` process per input, sampling the resident
memory of the whole process tree (/proc) every 20 ms; the kernel's own peak of the
largest process (ru_maxrss) is printed too. The inputs:

- compilation: every report concatenated, each under a title line, repeated until the
  file holds 300 MB (a compilation of many years and governments);
- one_line: 50 MB of report text without a newline;
- csv: 89 MB of CSV rows (region, year, title, text);
- json_array: 89 MB of JSON records in one array;
- docx_bomb: a 1.5 MB DOCX whose document.xml expands to 1.5 GB;
- docx_big: the largest DOCX the reader accepts (its XML just under MAX_DOCX_XML);
- html_big: the largest HTML the reader accepts (text-dense, just under its byte cap);
- html_tags: the most markup-dense HTML it accepts (just under MAX_HTML_TAGS);
- pdf_text: a printed compilation of 60 reports (about 2,000 pages of text);
- pdf_images: a PDF of scanned pages just under the PDF byte cap.

The caps are this repository's (src/gwrkit/ingest/readers.py). --python/--src run
another gwrkit (e.g. main's) on the same inputs, for a before/after table.
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MB = 2**20
GOAL_MB = 500

_FRONT = re.compile(r"\A---\n(?P<body>.*?)\n---\n", re.S)


def lawtext_reports(root: Path):
    """(government, year, title, text) of every report, in a fixed order."""
    for path in sorted(root.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        title = f"{path.stem}年{path.parent.name}政府工作报告"
        m = _FRONT.match(text)
        if m:
            text = text[m.end():]
        yield path.parent.name, path.stem, title, text.strip()


def build_compilation(root: Path, out: Path, size: int) -> None:
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < size:
            for _, _, title, text in lawtext_reports(root):
                chunk = f"{title}\n{text}\n\n"
                f.write(chunk)
                written += len(chunk.encode())
                if written >= size:
                    break


def build_one_line(root: Path, out: Path, size: int) -> None:
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < size:
            for _, _, title, text in lawtext_reports(root):
                chunk = title + text.replace("\n", "")
                f.write(chunk)
                written += len(chunk.encode())
                if written >= size:
                    break


def build_csv(root: Path, out: Path, size: int) -> None:
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["region", "year", "title", "text"])
        while f.tell() < size:
            for region, year, title, text in lawtext_reports(root):
                w.writerow([region, year, title, text])
                if f.tell() >= size:
                    break


def _docx(out: Path, document_xml_parts, deflate: bool = True) -> None:
    """A DOCX with a document.xml streamed from ``document_xml_parts`` (bytes)."""
    ct = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          b'<Default Extension="xml" ContentType="application/xml"/>'
          b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          b'wordprocessingml.document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
                    b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for part in document_xml_parts:
                f.write(part)
            f.write(b"</w:body></w:document>")


def _paragraphs_xml(root: Path, size: int):
    from xml.sax.saxutils import escape

    written = 0
    while True:
        for _, _, title, text in lawtext_reports(root):
            for line in [title, *text.splitlines()]:
                chunk = f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>".encode()
                if written + len(chunk) > size:
                    return
                written += len(chunk)
                yield chunk


def build_json_array(root: Path, out: Path, size: int) -> None:
    import json

    with open(out, "w", encoding="utf-8") as f:
        f.write("[")
        first = True
        while f.tell() < size:
            for region, year, title, text in lawtext_reports(root):
                f.write(("" if first else ",\n") + json.dumps({"region": region, "year": year, "title": title,
                                                              "text": text}, ensure_ascii=False))
                first = False
                if f.tell() >= size:
                    break
        f.write("]\n")


def build_html_tags(root: Path, out: Path, tags: int) -> None:
    """Report text with a span every 8 characters (as some editors save a page)."""
    written = 0
    with open(out, "w", encoding="utf-8") as f:
        f.write("<html><head><title>t</title></head><body><div id='main'>\n")
        while written < tags:
            for _, _, title, text in lawtext_reports(root):
                for line in [title, *text.splitlines()]:
                    spans = [f"<span class='c{i % 7}'>{line[i:i + 8]}</span>" for i in range(0, len(line), 8)]
                    if written + 2 * len(spans) + 10 > tags:
                        break
                    f.write("<p>" + "".join(spans) + "</p>\n")
                    written += 2 * len(spans) + 2
                else:
                    continue
                break
            break
        f.write("</div></body></html>\n")


def build_pdf_text(root: Path, out: Path, reports: int) -> None:
    sys.path.insert(0, str(REPO))
    from tests.helpers import pdf_compilation

    texts = []
    for _, _, title, text in lawtext_reports(root):
        texts.append(title + "\n" + text)
        if len(texts) >= reports:
            break
    out.write_bytes(pdf_compilation(texts))


def build_pdf_images(out: Path, size: int, image_bytes: int = 1_500_000) -> None:
    """Pages of one scanned image each (random bytes) and a line of text."""
    pages = size // (image_bytes + 600)
    objects: dict[int, bytes] = {1: b"<< /Type /Catalog /Pages 2 0 R >>", 3: b"<< /Type /Font /Subtype /Type1"
                                 b" /BaseFont /Helvetica /FontBBox [0 0 1000 1000] >>"}
    kids, n = [], 4
    for i in range(pages):
        image, content, page = n, n + 1, n + 2
        n += 3
        objects[image] = (b"<< /Type /XObject /Subtype /Image /Width 1000 /Height %d /ColorSpace /DeviceGray"
                          b" /BitsPerComponent 8 /Length %d >>\nstream\n" % (image_bytes // 1000, image_bytes)
                          + os.urandom(image_bytes) + b"\nendstream")
        ops = b"q 500 0 0 500 50 200 cm /Im0 Do Q BT /F1 12 Tf 72 720 Td (Page %d of a scan) Tj ET" % i
        objects[content] = b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream"
        objects[page] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources"
                         b" << /Font << /F1 3 0 R >> /XObject << /Im0 %d 0 R >> >> >>" % (content, image))
        kids.append(page)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    offsets = {}
    with open(out, "wb") as f:
        f.write(b"%PDF-1.4\n")
        for i in range(1, n):
            offsets[i] = f.tell()
            f.write(b"%d 0 obj\n" % i + objects[i] + b"\nendobj\n")
        xref = f.tell()
        f.write(b"xref\n0 %d\n0000000000 65535 f \n" % n)
        f.write(b"".join(b"%010d 00000 n \n" % offsets[i] for i in range(1, n)))
        f.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (n, xref))


def build_docx_bomb(out: Path, size: int) -> None:
    para = b"<w:p><w:r><w:t>" + "增长".encode() * 1000 + b"</w:t></w:r></w:p>"
    _docx(out, (para for _ in range(size // len(para))))


def build_docx_big(root: Path, out: Path, size: int) -> None:
    _docx(out, _paragraphs_xml(root, size))


def build_html_big(root: Path, out: Path, size: int) -> None:
    from xml.sax.saxutils import escape

    with open(out, "w", encoding="utf-8") as f:
        f.write("<!doctype html><html><head><meta charset='utf-8'><title>汇编</title></head><body>\n")
        while f.tell() < size - 100:
            for _, _, title, text in lawtext_reports(root):
                chunk = f"<h1>{escape(title)}</h1>\n" + "".join(f"<p>{escape(x)}</p>\n" for x in text.splitlines())
                if f.tell() + len(chunk.encode()) > size - 100:
                    break
                f.write(chunk)
            else:
                continue
            break
        f.write("</body></html>\n")


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def measure(cmd: list[str], env: dict) -> dict:
    """Run ``cmd``; its peak tree RSS (sampled), the peak RSS of its largest process
    (the kernel's ru_maxrss, of this child alone), wall time, exit status and output tail."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak, out, done = [0], [], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.02)

    def drain() -> None:
        out.append(proc.stdout.read())
    threads = [threading.Thread(target=sample, daemon=True), threading.Thread(target=drain, daemon=True)]
    for t in threads:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)       # this child's own rusage
    done.set()
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"tree_peak": peak[0], "maxrss": usage.ru_maxrss * 1024, "seconds": time.perf_counter() - start,
            "status": proc.returncode, "output": out[0].strip().splitlines()[-3:]}


def find_lawtext(arg: str | None, work: Path) -> Path:
    if arg:
        return Path(arg)
    if (REPO.parent / "lawtext").is_dir():
        return REPO.parent / "lawtext"
    tarball = REPO.parent / "shared" / "corpora" / "lawtext-reports.tar.xz"
    dest = work / "lawtext"
    if not dest.is_dir():
        with tarfile.open(tarball) as tar:
            tar.extractall(dest, filter="data")
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lawtext")
    ap.add_argument("--work", help="where the inputs are built (kept; default a temporary folder)")
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--python", default=sys.executable)
    ap.add_argument("--src", default=str(REPO / "src"), help="the gwrkit to run (its src folder)")
    ap.add_argument("--max-mb", help="passed to ingest (the gwrkit before streaming refuses 300 MB by default)")
    args = ap.parse_args()
    work = Path(args.work or tempfile.mkdtemp(prefix="gwrkit-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    root = find_lawtext(args.lawtext, work)
    # the largest DOCX, HTML and PDF the reader accepts: this repository's caps
    sys.path.insert(0, str(REPO / "src"))
    from gwrkit.ingest import readers as r

    docx_xml, html_cap, tags, pdf_cap = (r.MAX_DOCX_XML, r.WHOLE_CAPS["html"], r.MAX_HTML_TAGS,
                                         r.WHOLE_CAPS["pdf"])
    inputs = {
        "compilation": ("compilation.txt", lambda p: build_compilation(root, p, 300 * MB)),
        "one_line": ("one_line.txt", lambda p: build_one_line(root, p, 50 * MB)),
        "csv": ("reports.csv", lambda p: build_csv(root, p, 89 * MB)),
        "json_array": ("reports.json", lambda p: build_json_array(root, p, 89 * MB)),
        "docx_bomb": ("bomb.docx", lambda p: build_docx_bomb(p, 1500 * MB)),
        "docx_big": (f"xml_{docx_xml // MB}.docx", lambda p: build_docx_big(root, p, docx_xml - MB // 2)),
        "html_big": (f"big_{html_cap // MB}.html", lambda p: build_html_big(root, p, html_cap - MB // 4)),
        "html_tags": (f"tags_{tags}.html", lambda p: build_html_tags(root, p, tags - 2000)),
        "pdf_text": ("compilation_60.pdf", lambda p: build_pdf_text(root, p, 60)),
        "pdf_images": (f"scans_{pdf_cap // MB}.pdf", lambda p: build_pdf_images(p, pdf_cap - MB)),
    }
    env = {**os.environ, "PYTHONPATH": args.src}
    rows = []
    for name, (filename, build) in inputs.items():
        if args.only and name not in args.only:
            continue
        path = work / filename
        if not path.exists():
            build(path)
        db = work / f"{name}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        cmd = [args.python, "-m", "gwrkit", "ingest", str(path), "--db", str(db), "--no-progress",
               *(["--max-mb", args.max_mb] if args.max_mb else [])]
        m = measure(cmd, env)
        rows.append((name, path.stat().st_size, m))
        print(f"{name:12} {path.stat().st_size / MB:7.1f} MB  peak tree RSS {m['tree_peak'] / MB:7.0f} MB"
              f"  ru_maxrss {(m['maxrss'] or 0) / MB:7.0f} MB  {m['seconds']:6.1f} s  exit {m['status']}"
              f"  | {' / '.join(m['output'])[:300]}", flush=True)
    bad = [name for name, _, m in rows if m["tree_peak"] > GOAL_MB * MB]
    print(f"goal {GOAL_MB} MB: " + ("all inputs within it" if not bad else f"over it: {', '.join(bad)}"))


if __name__ == "__main__":
    main()
