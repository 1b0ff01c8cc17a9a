"""Paginated lists: the count and the page in one statement; a page past the end shows the last."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.teams.queries import PAGE_SIZE, paginate
from tests import factories
from tests.test_statement_counts import counting


@pytest.fixture
def people(org):
    return [factories.user(org, f"p{i:02d}@example.org", name=f"Persoon {i:02d}", password=None)
            for i in range(PAGE_SIZE + 3)]


def _page(app, org, page, name_like="Persoon%"):
    query = select(User).where(User.organisation_id == org.id, User.display_name.like(name_like))
    with app.app_context(), counting(app) as statements:
        found = paginate(query, page, func.lower(User.display_name), User.id)
        names = [u.display_name for u in found.items]
    return found, names, [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]


@pytest.mark.parametrize("asked, shown", [(1, 1), (0, 1), (-5, 1), (2, 2), (3, 2), (10**6, 2)])
def test_a_page_past_either_end_shows_the_nearest_one_in_one_statement(app, org, people, asked, shown):
    found, names, statements = _page(app, org, asked)
    assert (found.page, found.pages, found.total) == (shown, 2, PAGE_SIZE + 3)
    expected = [f"Persoon {i:02d}" for i in range(PAGE_SIZE + 3)]
    assert names == (expected[:PAGE_SIZE] if shown == 1 else expected[PAGE_SIZE:])
    assert len(statements) == 1, statements


@pytest.mark.parametrize("asked", [1, 4])
def test_an_empty_list_has_one_empty_page(app, org, people, asked):
    found, names, statements = _page(app, org, asked, name_like="Niemand%")
    assert (found.page, found.pages, found.total, names) == (1, 1, 0, [])
    assert len(statements) == 1


def test_a_list_of_exactly_one_page_has_no_second(app, org, people):
    found, names, _ = _page(app, org, 2, name_like="Persoon 0%")  # Persoon 00 … 09
    assert (found.page, found.pages, found.total, len(names)) == (1, 1, 10, 10)


def test_a_list_of_exactly_one_full_page_shows_it_for_the_page_after(app, org):
    for i in range(PAGE_SIZE):
        factories.user(org, f"vol{i:02d}@example.org", name=f"Vol {i:02d}", password=None)
    found, names, _ = _page(app, org, 2, name_like="Vol %")
    assert (found.page, found.pages, found.total, len(names)) == (1, 1, PAGE_SIZE, PAGE_SIZE)
