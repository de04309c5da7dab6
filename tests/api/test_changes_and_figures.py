"""The API for incremental copies (issue 18, finding 10): `updated_since` sees re-ratings, a
withdrawal is visible to the BI team's tokens and documented for others, and figures are
written digit for digit."""

import json
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command

from api.renderers import ExactJSONRenderer
from api.serializers import ValueSerializer
from measures import services
from measures.models import Target, Value
from tests.api.test_resources import results
from tests.factories import month

API_DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
LONG_AGO = "2020-01-01T00:00:00Z"


def test_updated_since_lists_a_value_re_rated_after_its_target_changed(framework, member_api):
    october = framework["october"]
    Value.objects.filter(pk=october.pk).update(entered_at=LONG_AGO, updated_at=LONG_AGO, rag_override="")
    services.rate_measures([framework["supported"].pk])
    Value.objects.filter(pk__in=[october.pk, framework["september"].pk]).update(updated_at=LONG_AGO)
    assert Value.objects.get(pk=october.pk).rag == "Red"  # 80.5 against 100
    cutoff = "2021-01-01T00:00:00Z"
    assert results(member_api.get(f"/api/v1/values/?updated_since={cutoff}")) == []

    Target.objects.filter(pk=framework["target"].pk).update(value=Decimal("80"))
    services.rate_measures([framework["supported"].pk])

    [changed] = results(member_api.get(f"/api/v1/values/?updated_since={cutoff}"))
    assert (changed["id"], changed["rag"]) == (october.pk, "Green")
    assert changed["updated_at"] > cutoff


def test_updated_since_lists_values_re_rated_by_the_rate_measures_command(framework, bi_api):
    Value.objects.update(entered_at=LONG_AGO, updated_at=LONG_AGO, rag="ND")
    call_command("rate_measures")
    got = {row["id"] for row in results(bi_api.get("/api/v1/values/?updated_since=2021-01-01T00:00:00Z"))}
    assert framework["october"].pk in got  # Red again (80.5 against 100)


def test_figures_are_json_numbers_with_their_exact_digits(framework, member_api):
    # Sixteen significant digits (what a figure's column holds) do not survive a float; SQLite
    # stores decimals as floats, so the value is put in front of the serializer and renderer here.
    value = Value.objects.select_related("period").get(pk=framework["september"].pk)
    value.value = Decimal("123456789012.3456")
    text = ExactJSONRenderer().render(ValueSerializer(value).data).decode()

    assert '"value":123456789012.3456,' in text
    assert json.loads(text, parse_float=Decimal)["value"] == Decimal("123456789012.3456")


def test_the_api_writes_a_stored_figure_without_trailing_zeros_or_a_float(framework, member_api):
    october = member_api.get(f"/api/v1/values/{framework['october'].pk}/").content.decode()
    assert '"value":80.5,' in october  # 80.5000 as stored
    assert member_api.get("/api/v1/comparators/").json()["results"][0]["value"] == 90.25


def test_the_schema_says_figures_are_exact(framework, member_api):
    schema = member_api.get("/api/v1/schema/?format=json")
    value = json.loads(schema.content)["components"]["schemas"]["Value"]["properties"]["value"]
    assert "exact digits" in value["description"]


def test_a_withdrawal_shows_to_the_bi_team_and_the_docs_say_how_others_learn_of_it(framework, bi_user,
                                                                                  bi_api, member_api):
    october = framework["october"]
    services.withdraw(bi_user, october, "Wrong month", october.version)

    bi = {row["id"]: row for row in results(bi_api.get("/api/v1/values/?updated_since=2021-01-01T00:00:00Z"))}
    assert bi[october.pk]["status"] == "withdrawn"
    assert october.pk not in {row["id"] for row in results(member_api.get("/api/v1/values/"))}
    docs = " ".join(API_DOCS.read_text().split())
    assert "Withdrawn values: a published value that the BI team withdraws leaves `values/`" in docs
