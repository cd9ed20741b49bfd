"""The record the export tests read: see export_records.py."""

import pytest
from export_records import adopted_record


@pytest.fixture
def record():
    return adopted_record()
