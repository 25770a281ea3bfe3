"""The demo data of the generated tests (tests/core/conftest.py) for the API fuzzing."""

from tests.core.conftest import demo_values  # noqa: F401
