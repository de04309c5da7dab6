"""A JSON value as a CSV cell (api/renderers.py)."""

from decimal import Decimal

import pytest

from api.renderers import cell


@pytest.mark.parametrize("value, shown", [
    (None, ""), (True, "true"), (False, "false"), (0, "0"), (12, "12"), (2.5, "2.5"),
    (Decimal("80.5000"), "80.5"), (Decimal("100.0000"), "100"), (Decimal("1E+2"), "100"),
    ("Oct-20", "Oct-20"), ("=1+1", "'=1+1"), ([1, "a"], '[1, "a"]'), ({"x": None}, '{"x": null}'),
    (["=cmd"], '["=cmd"]'),
])
def test_a_cell_shows_the_value_in_full_and_never_as_a_formula(value, shown):
    assert cell(value) == shown
