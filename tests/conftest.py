import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    """../shared beside the repository (CI lays it there), or $GWRKIT_SHARED."""
    p = Path(os.environ.get("GWRKIT_SHARED", REPO.parent / "shared"))
    return p if (p / "gold").is_dir() and (p / "corpus").is_dir() else None


@pytest.fixture
def shared():
    p = shared_dir()
    if p is None:
        pytest.skip("../shared (corpus and gold) is not present beside the repository")
    return p


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory) -> Path:
    """The bundled example reports ingested once into a database (read-only use)."""
    from gwrkit.api import ingest

    db = tmp_path_factory.mktemp("examples") / "examples.db"
    result = ingest([REPO / "examples"], db, search_index=True)
    assert result.ok
    return db
