"""The BI team's people pages: only the BI team may use them; invitations, roles, deactivation
and lockout clearing work end to end and leave an audit record on the person's page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from accounts.models import AccountEvent
from measures.roles import BI_TEAM, SCRUTINY_MEMBER, SERVICE_LEAD
from tests.factories import PASSWORD, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-longer-harder-passphrase"
LINK = re.compile(r"http://testserver(/accounts/reset/[^\s]+/)")


def sign_in(client, username, password=PASSWORD, ip="192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def invite(client, **fields):
    data = {"email": "sam@council.example", "first_name": "Sam", "last_name": "Smith",
            "role": SCRUTINY_MEMBER, **fields}
    return client.post(reverse("invite"), data)


def groups(user):
    return sorted(user.groups.values_list("name", flat=True))


@pytest.fixture
def other(roles):
    return UserFactory(username="other", email="other@council.example")


def every_page(pk):
    return [
        ("get", reverse("people")), ("get", reverse("invite")), ("post", reverse("invite")),
        ("get", reverse("person", args=[pk])), ("post", reverse("person", args=[pk])),
        ("post", reverse("deactivate", args=[pk])), ("post", reverse("reactivate", args=[pk])),
        ("post", reverse("clear_lockout", args=[pk])),
        ("post", reverse("send_invitation_again", args=[pk])),
    ]


def test_every_accounts_page_is_for_everyone_or_tested_below_as_bi_team_only(other):
    from accounts.urls import urlpatterns

    for_everyone = {
        "login", "logout", "password_reset", "password_reset_done", "password_reset_confirm",
        "password_reset_complete", "oidc_authentication_init", "oidc_authentication_callback",
        # Each person's own API tokens: tested in tests/api/test_tokens.py.
        "api_tokens", "revoke_api_token",
        # Where signing in lands before the home page: tested in tests/test_health.py.
        "signed_in",
    }
    tested = {url for _, url in every_page(other.pk)}
    for pattern in urlpatterns:
        if pattern.name not in for_everyone:
            args = [other.pk] if "<int:pk>" in str(pattern.pattern) else []
            assert reverse(pattern.name, args=args) in tested, pattern.name


def test_anonymous_people_are_sent_to_sign_in_from_every_page(client, other):
    for method, url in every_page(other.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("who", ["member", "lead"])
def test_only_the_bi_team_may_manage_accounts(client, request, who, other):
    client.force_login(request.getfixturevalue(who))
    for method, url in every_page(other.pk):
        assert getattr(client, method)(url).status_code == 403, (method, url)
    other.refresh_from_db()
    assert other.is_active and not AccountEvent.objects.exists()


def test_the_action_pages_refuse_get(client, bi_user, other):
    client.force_login(bi_user)
    for name in ("deactivate", "reactivate", "clear_lockout", "send_invitation_again"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 405


def test_the_people_list_shows_roles_services_and_status_in_constant_queries(
    client, bi_user, lead, member, django_assert_max_num_queries
):
    client.force_login(bi_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people"))
    html = response.content.decode()
    row = html[html.index('data-person="lead"'):]
    row = row[:row.index("</tr>")]
    assert SERVICE_LEAD in row and "Adult Care" in row and "Active" in row

    for n in range(10):
        user = UserFactory(username=f"extra{n}")
        user.led_services.add(ServiceFactory(name=f"Extra {n}"))
        AccountEvent.objects.create(user=user, actor=bi_user, action=AccountEvent.Action.DEACTIVATED)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("people")).content.decode()
    events = html[html.index('id="account-events"'):]
    assert events.count("Deactivated") == 10 and "Pat Officer" in events


def test_the_people_link_is_in_the_bi_teams_menu_only(client, bi_user, lead):
    client.force_login(bi_user)
    assert f'href="{reverse("people")}"' in client.get(reverse("home")).content.decode()
    client.force_login(lead)
    assert f'href="{reverse("people")}"' not in client.get(reverse("home")).content.decode()


def test_an_invitation_e_mails_a_link_that_sets_the_password_and_signs_in(
    client, bi_user, adult_care, mailoutbox
):
    client.force_login(bi_user)

    response = invite(client, role=SERVICE_LEAD, services=[adult_care.pk])

    user = get_user_model().objects.get(email="sam@council.example")
    assert response.status_code == 302 and response["Location"] == reverse("person", args=[user.pk])
    assert user.username == "sam@council.example" and not user.has_usable_password()
    assert groups(user) == [SERVICE_LEAD] and list(user.led_services.all()) == [adult_care]
    event = AccountEvent.objects.get(user=user)
    assert event.actor == bi_user and event.action == AccountEvent.Action.INVITED
    assert event.detail == "Service lead, leading Adult Care"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sam@council.example"]
    assert mailoutbox[0].subject == "You are invited to PerfHub"
    link = LINK.search(mailoutbox[0].body).group(1)

    invitee = client.__class__()
    response = invitee.get(link, follow=True)
    assert "Choose your password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = invitee.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_complete")

    assert sign_in(invitee, "sam@council.example", NEW_PASSWORD)["Location"] == reverse("home")
    # The link works once.
    assert "This link has expired" in client.__class__().get(link, follow=True).content.decode()


def test_an_invitation_with_errors_saves_nothing_and_says_why(client, bi_user, adult_care, mailoutbox):
    UserFactory(username="taken", email="Taken@Council.example")
    client.force_login(bi_user)

    cases = [
        ({"email": "not an address"}, "Enter an e-mail address like name@council.gov.uk"),
        ({"email": "taken@council.example"}, "Someone already has an account with that e-mail address"),
        ({"role": SERVICE_LEAD}, "Choose the services a service lead leads"),
        ({"role": BI_TEAM, "services": [adult_care.pk]}, "Only service leads lead services"),
        ({"role": "Superuser"}, "Choose a role"),
    ]
    for fields, message in cases:
        response = invite(client, **fields)
        html = response.content.decode()
        assert response.status_code == 200, fields
        assert "govuk-error-summary" in html and message in html, fields
    assert not get_user_model().objects.filter(email__iexact="sam@council.example").exists()
    assert mailoutbox == [] and not AccountEvent.objects.exists()


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=1
)
def test_an_invitation_that_cannot_be_sent_makes_no_account(client, bi_user):
    client.force_login(bi_user)

    response = invite(client)

    assert response.status_code == 200
    assert "The invitation could not be sent, so no account was made" in response.content.decode()
    assert not get_user_model().objects.filter(email="sam@council.example").exists()
    assert not AccountEvent.objects.exists()


def test_an_invitation_can_be_sent_again_until_a_password_is_chosen(client, bi_user, mailoutbox):
    client.force_login(bi_user)
    invite(client)
    user = get_user_model().objects.get(email="sam@council.example")

    client.post(reverse("send_invitation_again", args=[user.pk]))

    assert len(mailoutbox) == 2 and LINK.search(mailoutbox[1].body)
    assert user.account_events.first().action == AccountEvent.Action.INVITATION_SENT_AGAIN

    user.set_password(NEW_PASSWORD)
    user.save()
    response = client.post(reverse("send_invitation_again", args=[user.pk]), follow=True)
    assert "has already chosen a password" in response.content.decode()
    assert len(mailoutbox) == 2


def test_changing_a_role_replaces_the_old_one_and_is_recorded_on_the_page(
    client, bi_user, lead, adult_care
):
    housing = ServiceFactory(name="Housing")
    client.force_login(bi_user)
    url = reverse("person", args=[lead.pk])
    names = {"first_name": lead.first_name, "last_name": lead.last_name}

    response = client.post(url, {**names, "role": SERVICE_LEAD, "services": [housing.pk]})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert groups(lead) == [SERVICE_LEAD] and list(lead.led_services.all()) == [housing]

    client.post(url, {**names, "role": SCRUTINY_MEMBER})
    assert groups(lead) == [SCRUTINY_MEMBER] and not lead.led_services.exists()

    html = client.get(url).content.decode()
    events = html[html.index('id="account-events"'):]
    assert "Changed: role: Service lead, leading Housing to Scrutiny member" in events
    assert "Changed: role: Service lead, leading Adult Care to Service lead, leading Housing" in events
    assert events.count(bi_user.get_full_name()) == 2


def test_the_e_mail_address_and_name_are_changed_and_recorded(client, bi_user, member, other):
    client.force_login(bi_user)
    url = reverse("person", args=[member.pk])
    fields = {"role": SCRUTINY_MEMBER, "first_name": member.first_name, "last_name": member.last_name}

    response = client.post(url, {**fields, "email": "OTHER@council.example"})
    assert "Someone already has an account with that e-mail address" in response.content.decode()

    client.post(url, {**fields, "email": "member@council.example", "first_name": "Kim"})

    member.refresh_from_db()
    assert (member.email, member.first_name) == ("member@council.example", "Kim")
    assert AccountEvent.objects.get(user=member).detail == (
        "e-mail address: none to member@council.example; first name: Pat to Kim"
    )
    response = client.post(url, {**fields, "email": "member@council.example", "first_name": "Kim"}, follow=True)
    assert "Nothing changed for" in response.content.decode()
    assert AccountEvent.objects.filter(user=member).count() == 1


def test_a_deactivated_person_cannot_sign_in_and_their_session_ends(client, bi_user, member):
    their_session = client.__class__()
    assert sign_in(their_session, "member").status_code == 302
    assert their_session.get(reverse("home")).status_code == 200
    client.force_login(bi_user)

    response = client.post(reverse("deactivate", args=[member.pk]), follow=True)

    assert "can no longer sign in" in response.content.decode()
    assert "Deactivated" in response.content.decode()
    member.refresh_from_db()
    assert not member.is_active
    assert their_session.get(reverse("home"))["Location"].startswith(reverse("login"))
    response = sign_in(client.__class__(), "member")
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    event = AccountEvent.objects.get(user=member)
    assert (event.actor, event.action) == (bi_user, AccountEvent.Action.DEACTIVATED)

    client.post(reverse("reactivate", args=[member.pk]))
    assert sign_in(client.__class__(), "member").status_code == 302
    assert member.account_events.first().action == AccountEvent.Action.REACTIVATED


def test_a_deactivated_person_gets_no_password_reset_link(client, bi_user, member, mailoutbox):
    member.email = "member@council.example"
    member.save()
    client.force_login(bi_user)
    client.post(reverse("deactivate", args=[member.pk]))

    response = client.__class__().post(reverse("password_reset"), {"email": member.email})

    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_nobody_deactivates_their_own_account(client, bi_user):
    client.force_login(bi_user)

    response = client.post(reverse("deactivate", args=[bi_user.pk]), follow=True)

    assert "You cannot deactivate your own account." in response.content.decode()
    bi_user.refresh_from_db()
    assert bi_user.is_active and not AccountEvent.objects.exists()


def test_nobody_changes_their_own_role(client, bi_user):
    client.force_login(bi_user)
    url = reverse("person", args=[bi_user.pk])
    names = {"first_name": bi_user.first_name, "last_name": bi_user.last_name}

    response = client.post(url, {**names, "role": SCRUTINY_MEMBER})

    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    assert "You cannot change your own role" in response.content.decode()
    assert groups(bi_user) == [BI_TEAM] and not AccountEvent.objects.exists()
    assert client.post(url, {**names, "role": BI_TEAM, "email": "bi@council.example"}).status_code == 302
    assert AccountEvent.objects.get().detail == "e-mail address: none to bi@council.example"


def test_clearing_a_lockout_lets_the_person_sign_in_again(client, bi_user, member):
    for _ in range(5):
        sign_in(client.__class__(), "member", "wrong")
    assert sign_in(client.__class__(), "member").status_code == 429
    client.force_login(bi_user)
    page = client.get(reverse("person", args=[member.pk])).content.decode()
    assert "Sign-in locked" in page and reverse("clear_lockout", args=[member.pk]) in page
    listing = client.get(reverse("people")).content.decode()
    row = listing[listing.index('data-person="member"'):]
    assert "Sign-in locked" in row[:row.index("</tr>")]

    response = client.post(reverse("clear_lockout", args=[member.pk]), follow=True)

    assert "may try to sign in again" in response.content.decode()
    assert sign_in(client.__class__(), "member").status_code == 302
    event = AccountEvent.objects.get(user=member)
    assert (event.actor, event.action) == (bi_user, AccountEvent.Action.LOCKOUT_CLEARED)
    assert event.detail == "1 record of failed sign-ins cleared"
    assert "Sign-in lockout cleared: 1 record of failed sign-ins cleared" in response.content.decode()


def test_a_forgotten_password_is_reset_by_e_mail(client, member, mailoutbox):
    member.email = "member@council.example"
    member.save()
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page

    response = client.post(reverse("password_reset"), {"email": "MEMBER@council.example"})

    assert response["Location"] == reverse("password_reset_done")
    assert "Check your e-mail" in client.get(reverse("password_reset_done")).content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].subject == "Reset your PerfHub password"
    link = LINK.search(mailoutbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert sign_in(client, "member", PASSWORD).status_code == 200
    assert sign_in(client, "member", NEW_PASSWORD).status_code == 302


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@council.example"})

    assert response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_weak_password_is_refused_with_the_error_summary(client, member, mailoutbox):
    member.email = "member@council.example"
    member.save()
    client.post(reverse("password_reset"), {"email": member.email})
    form_url = client.get(LINK.search(mailoutbox[0].body).group(1), follow=True).redirect_chain[-1][0]

    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})

    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "This password is too common." in html


def test_a_persons_page_shows_their_role_and_services_ticked_each_with_its_own_label(client, bi_user, lead, adult_care):
    ServiceFactory(name="Housing")
    client.force_login(bi_user)
    html = client.get(reverse("person", args=[lead.pk])).content.decode()
    inputs = re.findall(r'<input class="govuk-(radios|checkboxes)__input" id="([^"]+)" name="(\w+)" type="(\w+)" value="([^"]*)"( checked)?>', html)
    radios = [(value, bool(checked)) for _, _, name, _, value, checked in inputs if name == "role"]
    assert radios == [(role, role == SERVICE_LEAD) for role, _ in radios] and len(radios) == 3
    boxes = {value: bool(checked) for _, _, name, _, value, checked in inputs if name == "services"}
    assert boxes == {str(s.pk): s == adult_care for s in lead.led_services.model.objects.all()}
    ids = [input_id for _, input_id, *_ in inputs]
    assert len(set(ids)) == len(ids) and all(f'for="{input_id}"' in html for input_id in ids)
    assert 'aria-describedby="id_services-hint"' in html


def test_a_role_or_service_error_is_shown_on_its_fieldset(client, bi_user):
    client.force_login(bi_user)
    html = invite(client, role=SERVICE_LEAD).content.decode()
    assert 'aria-describedby="id_services-hint id_services-error"' in html
    assert '<p id="id_services-error" class="govuk-error-message">' in html


def test_password_reset_e_mails_to_one_address_are_limited_per_hour(client, member, mailoutbox):
    """Issue 22, finding 8: sixteen reset e-mails went to one address in seconds."""
    from accounts.services import PASSWORD_RESETS_PER_HOUR

    member.email = "member@council.example"
    member.save()
    for _ in range(PASSWORD_RESETS_PER_HOUR + 3):
        response = client.post(reverse("password_reset"), {"email": "Member@council.example"})
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == PASSWORD_RESETS_PER_HOUR
