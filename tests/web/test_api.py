"""The REST API and the pages through FastAPI's TestClient."""
import sqlite3

import pytest
from fastapi.testclient import TestClient

from gwrkit.web.app import CSP, create_app

from .conftest import XSS


@pytest.fixture(scope="module")
def client(web_db):
    return TestClient(create_app(web_db))


def _ids(db):
    conn = sqlite3.connect(db)
    return {region: rid for rid, region in conn.execute("SELECT id, region FROM reports")}


def test_reports_list_filters_and_pages(client):
    everything = client.get("/api/reports?limit=1000").json()
    assert everything["total"] == len(everything["items"]) >= 8
    page = client.get("/api/reports?limit=2&offset=1").json()
    assert page["items"] == everything["items"][1:3] and page["total"] == everything["total"]
    counties = client.get("/api/reports?level=county").json()["items"]
    assert counties and {r["level"] for r in counties} == {"county"}
    csv = client.get("/api/reports?limit=2&format=csv")
    assert csv.headers["content-type"].startswith("text/csv") and len(csv.text.strip().splitlines()) == 3
    parquet = client.get("/api/reports?limit=3&format=parquet")
    import io

    import pandas as pd
    assert len(pd.read_parquet(io.BytesIO(parquet.content))) == 3


def test_one_report_has_metadata_outline_figures_and_text(client, web_db):
    rid = _ids(web_db)["国务院"]
    r = client.get(f"/api/reports/{rid}").json()
    assert r["metadata"]["level"] == "national" and r["metadata"]["plan_year"] == 2024
    assert r["outline"] and r["figures"]
    gdp = next(f for f in r["figures"] if f["indicator"] == "gdp" and f["kind"] == "target" and f["headline"])
    a, b = gdp["start"] - r["offset"], gdp["end"] - r["offset"]
    assert r["text"][a:b] == gdp["evidence"] and "5%左右" in gdp["evidence"]


def test_scorecard_search_attention_compare_reuse(client, web_db):
    sc = client.get("/api/scorecard?indicator=GDP&metric=growth").json()
    assert sc["items"] and {"region", "region_code", "year", "verdict", "gap"} <= set(sc["items"][0])
    hits = client.get("/api/search", params={"q": "营商环境", "limit": 3}).json()
    assert hits["total"] >= 3 and all("营商环境" in h["snippet"] for h in hits["items"])
    trend = client.get("/api/attention", params={"topic": "就业", "by": "year"}).json()["items"]
    assert trend and all(r["topic"] == "就业" for r in trend)
    ids = _ids(web_db)
    both = client.get("/api/compare", params={"a": ids["国务院"], "b": ids["新郑市"], "part": "targets"}).json()
    assert any(t["indicator"] == "gdp" for t in both["targets"])
    assert client.get("/api/reuse?part=reports").status_code == 200
    assert client.get("/api/overview").json()["counts"]["reports"] >= 8


@pytest.mark.parametrize("url, status", [
    ("/api/reports/999999", 404), ("/api/search?q=NOT%20x", 400), ("/api/search?q=%22", 400),
    ("/api/scorecard?indicator=nonsense", 400), ("/api/reports?level=planet", 422),
    ("/api/reports?limit=0", 422), ("/api/attention?topic=nonsense", 400), ("/api/attention?by=colour", 400),
    ("/api/compare?a=1&b=1", 404), ("/reports/999999", 404), ("/api/search", 422),
    ("/api/reports/99999999999999999999", 422), ("/reports/99999999999999999999", 422),
    ("/api/compare?a=99999999999999999999&b=1", 422), ("/compare?a=99999999999999999999&b=1", 422),
])
def test_bad_requests_get_4xx_with_a_message(client, url, status):
    res = client.get(url)
    assert res.status_code == status
    if url.startswith("/api/"):
        assert res.json().get("error") or res.json().get("detail")


def test_read_only_and_locked_down(client, web_db):
    assert client.post("/api/reports").status_code == 405
    assert client.delete("/api/reports/1").status_code == 405
    res = client.get("/")
    assert res.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert "<script>" not in res.text.split("</head>")[1]        # no inline script in the body


def test_docs_are_served_from_this_origin(client):
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html and "http" not in html.split("<body>")[0]
    assert "<script>" not in html                                 # no inline script
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs").headers["content-security-policy"] == CSP
    assert client.get("/openapi.json").json()["info"]["title"] == "gwrkit"


def test_years_are_whole_numbers_and_whole_lists_download(client):
    items = client.get("/api/reports?limit=100000").json()["items"]
    assert all(isinstance(r["plan_year"], int) for r in items if r["plan_year"] is not None)
    assert client.get("/api/reports?limit=100001").status_code == 422


def test_report_text_is_escaped(client, web_db):
    rid = _ids(web_db)["珠海市"]
    html = client.get(f"/reports/{rid}").text
    assert XSS not in html and "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html
    hits = client.get("/search", params={"q": "window.__xss"}).text
    assert "&lt;script&gt;<mark>window.__xss</mark>" in hits
    assert "<script>window" not in hits and "<img src=x" not in hits


def test_a_missing_database_is_refused(tmp_path):
    with pytest.raises(FileNotFoundError):
        create_app(tmp_path / "nothing.db")
    assert not (tmp_path / "nothing.db").exists()
