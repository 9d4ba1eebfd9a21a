"""A served database for the web tests: the bundled examples plus a report whose text
carries an XSS payload, served by uvicorn in a thread on a free port."""
import pytest

from gwrkit.api import ingest

from ..conftest import REPO
from ..helpers import report_text

XSS = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'


@pytest.fixture(scope="session")
def web_db(tmp_path_factory):
    import shutil

    src = tmp_path_factory.mktemp("web")
    shutil.copytree(REPO / "examples", src / "examples")
    (src / "examples" / "xss.txt").write_text(
        report_text(place="珠海市").replace("建成一批重点项目", f"建成一批重点项目{XSS}"), encoding="utf-8")
    # one government with consecutive years, so that the scorecard has graded rows
    (src / "examples" / "jiangmen-2025.txt").write_text(
        report_text(place="江门市", review=2024, plan=2025, date="2025年1月20日"), encoding="utf-8")
    (src / "examples" / "jiangmen-2026.txt").write_text(report_text(place="江门市"), encoding="utf-8")
    db = src / "web.db"
    assert ingest([src / "examples"], db, search_index=True).ok
    return db


@pytest.fixture(scope="session")
def server(web_db):
    from gwrkit.web.app import serving

    with serving(web_db) as url:
        yield url
