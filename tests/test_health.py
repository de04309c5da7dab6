"""The liveness endpoint (docker-compose's healthcheck) and the benches' trivial signed-in view."""

from django.urls import reverse

from perfhub.middleware import LIVENESS_PATH


def test_the_liveness_endpoint_runs_no_query(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(LIVENESS_PATH)
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_the_liveness_endpoint_needs_no_listed_host_nor_https(client, settings):
    settings.ALLOWED_HOSTS = ["perfhub.example.gov.uk"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(LIVENESS_PATH, HTTP_HOST="172.18.0.3:8000")
    assert response.status_code == 200


def test_a_near_miss_of_the_liveness_path_is_an_ordinary_page(client):
    assert client.get(LIVENESS_PATH + "/").status_code == 404
    assert client.post(LIVENESS_PATH).status_code != 200


def test_the_trivial_view_reads_the_session_and_the_user_and_writes_no_template(
        client, member, django_assert_num_queries):
    client.force_login(member)
    with django_assert_num_queries(2):  # the session, the user
        response = client.get(reverse("signed_in"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == f"Signed in as {member.get_username()}\n"
    assert not response.templates


def test_the_trivial_view_asks_a_stranger_to_sign_in(client):
    response = client.get(reverse("signed_in"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_docker_composes_healthcheck_asks_the_liveness_endpoint():
    from pathlib import Path

    compose = (Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text()
    app = compose[compose.index("\n  app:"):]
    assert LIVENESS_PATH in app[app.index("healthcheck:"):]


def test_the_wsgi_application_freezes_what_start_up_loaded():
    # The garbage collector no longer walks Django's and the apps' start-up objects on each full
    # collection (docs/speed.md).
    import gc
    import importlib

    gc.unfreeze()
    importlib.reload(importlib.import_module("perfhub.wsgi"))
    assert gc.get_freeze_count() > 10_000
