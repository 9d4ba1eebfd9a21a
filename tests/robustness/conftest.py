import os

import pytest


def pytest_collection_modifyitems(config, items):
    """Cases marked slow (minutes of work, hundreds of MB written) run only with
    GWRKIT_SLOW=1."""
    if os.environ.get("GWRKIT_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: set GWRKIT_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords and "robustness" in str(item.fspath):
            item.add_marker(skip)
