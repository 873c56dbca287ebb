"""Fixtures for the iLO OEM tests: the lab CA that issues the users' certificates (one per test module)."""

from __future__ import annotations

import pytest

from redfishnb import certs


@pytest.fixture(scope="module")
def ca() -> certs.LabCA:
    return certs.LabCA.create("Lab users CA")
