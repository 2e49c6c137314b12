"""Fixtures of the add-in tests."""

import pytest

from addin.policy import REGISTRY


@pytest.fixture
def scratch_registry():
    """Let a test define throw-away UDFs without leaving them in the contract."""
    before = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(before)
