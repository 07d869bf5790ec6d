"""Fixtures of the documents' tests: the shared demo world, a fresh one for tests that write, the world's keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders.document_world import World, make_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Shared, read-only: do not pay or reverse in tests that use it."""
    with pytest.MonkeyPatch.context() as patch:
        built = make_world(tmp_path_factory.mktemp("world"), patch)
        yield built
        built.store.close()


@pytest.fixture
def fresh_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """A world of its own (session left open), for tests that add to the journal."""
    built = make_world(tmp_path, monkeypatch, close=False)
    yield built
    built.store.close()


@pytest.fixture
def use_world_keys(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    """Point the keyring at the shared world's, so the CLI can open its data folder."""
    monkeypatch.setenv("PAYOUT_DESK_KEY_DIR", str(world.key_dir))
    monkeypatch.setenv("PAYOUT_DESK_TEST_KEYRING", str(world.key_dir))
    return world
