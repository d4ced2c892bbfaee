"""Shared fixtures: the development data beside the checkout, and the real local Kafka broker."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, which the tests read in place (it may not be copied into the repository)."""
    if not (SHARED_DATA / "seed-article.gold.json").exists():
        pytest.fail(f"development data not found at {SHARED_DATA}: check out the project beside ../shared")
    return SHARED_DATA
