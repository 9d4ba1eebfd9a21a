"""The public lawtext corpus graded against its layout (folder = government, file =
year): issue #6's acceptance rates, rerun from the tarball in ../shared/corpora."""
import tarfile

import pytest

from benchmarks.lawtext_rates import rates
from gwrkit.api import ingest

ACCEPT = {"found": 0.998, "government": 0.995, "plan_year": 0.99, "gdp_target": 0.97}


def test_lawtext_corpus_rates(shared, tmp_path):
    tarball = shared / "corpora" / "lawtext-reports.tar.xz"
    if not tarball.is_file():
        pytest.skip("the lawtext tarball is not in ../shared/corpora")
    with tarfile.open(tarball) as tar:
        tar.extractall(tmp_path / "corpus", filter="data")
    result = ingest([tmp_path / "corpus"], tmp_path / "lawtext.db", jobs=2)
    assert result.ok
    got = rates(tmp_path / "corpus", tmp_path / "lawtext.db")
    assert got["files"] > 2800
    for key, floor in ACCEPT.items():
        assert got[key] >= floor, (key, got[key], got["misses"].get(key, [])[:20])
