"""Random and extreme values for the property tests of imports and forms (Hypothesis).

Each example runs in its own transaction that is rolled back (``one_example``), so the
function-scoped fixtures (people, tree, forms) are shared by the examples without one example
seeing what another saved; that is why the function-scoped-fixture health check is off.

Texts never hold lone surrogates: neither channel can carry them (the test client encodes a
POST as UTF-8, a workbook is XML), so they cannot reach the portal from outside.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.services import need

#: Few examples per test, no per-example deadline (a request takes tens of milliseconds);
#: an import example (write, upload, confirm a workbook) or a large page costs several times
#: a small form's, so those run fewer (``HEAVY_EXAMPLES``).
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
HEAVY_EXAMPLES = settings(EXAMPLES, max_examples=15)

HUGE_INTS = [10**20, -(10**20), 2**31, 2**31 - 1, 2**63, 2**15, -1, -5, 0]
EXTREME_DATES = [
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2101-01-01",
    "2022-02-30",
    "20222-01-01",
    "",
]

ints = st.one_of(st.sampled_from(HUGE_INTS), st.integers(min_value=-(10**25), max_value=10**25))
dates = st.one_of(
    st.sampled_from(EXTREME_DATES),
    st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
)
long_texts = st.sampled_from(["长" * 200, "x" * 101, "y" * 301, "字" * 2001, "z" * 5001])
#: Anything a form field can receive: text (NUL and other control characters included), long
#: text, numbers beyond every column, dates beyond the window, empty.
form_values = st.one_of(
    st.text(max_size=40),
    long_texts,
    ints.map(str),
    dates,
    st.just(""),
    st.just("a\x00b"),
)
#: What a spreadsheet cell can hold (XML forbids control characters, openpyxl refuses them).
cell_texts = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40) | long_texts
)
cell_values = st.one_of(cell_texts, ints, dates, st.just(None), st.just("not-an-e-mail"))


def need_postgresql() -> None:
    need("PostgreSQL", connection.vendor == "postgresql", "DATABASE_URL is not PostgreSQL")


@contextmanager
def one_example():
    """Whatever the example saves is rolled back before the next one."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def assert_not_server_error(response, context=""):
    assert response.status_code < 500, (response.status_code, context)
