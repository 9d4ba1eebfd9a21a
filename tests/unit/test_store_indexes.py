"""Replacing a document deletes its rows through foreign keys: every table a delete
cascades to is searched by an index, so a replacement costs the same in a store of
3,000 or 70,000 documents (a scan per delete made re-ingesting quadratic)."""
import sqlite3

import pytest

CASCADES = [("document_texts", "document_id"), ("document_parts", "document_id"), ("reports", "document_id"),
            ("segments", "document_id"), ("segments", "report_id"), ("sections", "report_id"),
            ("paragraphs", "report_id"), ("figures", "report_id")]


@pytest.mark.parametrize("table, column", CASCADES)
def test_each_cascade_is_an_index_search(examples_db, table, column):
    conn = sqlite3.connect(examples_db)
    plan = " ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN SELECT 1 FROM {table} WHERE {column} = 1"))
    assert "SEARCH" in plan and ("INDEX" in plan or "PRIMARY KEY" in plan), plan
