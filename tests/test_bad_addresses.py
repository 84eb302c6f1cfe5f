"""A NUL character in an address is refused with 400, never a database error."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import login_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "address",
    ["/kommunen/%00/", "/aktuelles/?thema=%00", "/ideen/?q=%00"],
)
def test_pages_refuse_nul_in_the_address(address):
    response = Client().get(address)

    assert response.status_code == 400
    assert "Die Anfrage konnte nicht verstanden werden." in response.content.decode()


def test_the_directory_refuses_nul_for_members(member):
    response = login_client(member).get("/mitglieder/?q=%00")

    assert response.status_code == 400


def test_the_api_answers_nul_with_a_problem():
    response = Client().get("/api/v1/municipalities?q=%00")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 400


def test_a_nul_in_an_api_path_is_refused_before_any_lookup():
    response = Client().get("/api/v1/news/a%00b")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_the_search_reads_a_nul_as_a_space_instead():
    response = Client().get("/suche/?q=Schu%00len")

    assert response.status_code == 200
    assert response.context["query"] == "Schu len"
