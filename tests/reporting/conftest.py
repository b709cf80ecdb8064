import pytest

from tests.reporting.builders import ReportBuilder


@pytest.fixture
def build(app, world):
    return ReportBuilder(app, world)
