"""The BI team's forms for people's accounts."""

from django import forms
from django.contrib.auth import get_user_model

from accounts import tokens
from measures.forms import GovukForm
from measures.models import Service
from measures.roles import ROLES, SERVICE_LEAD


class RoleForm(forms.Form):
    """A role, and for a service lead the services they lead."""

    role = forms.ChoiceField(
        label="Role", choices=[(role, role) for role in ROLES],
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )
    services = forms.ModelMultipleChoiceField(
        label="Services they lead", queryset=Service.objects.order_by("name"), required=False,
        help_text="Service leads only: they enter the figures of these services.",
    )

    def clean(self):
        data = super().clean()
        role, services = data.get("role"), data.get("services")
        if role == SERVICE_LEAD and not services:
            self.add_error("services", "Choose the services a service lead leads")
        elif role and role != SERVICE_LEAD and services:
            self.add_error(
                "services", "Only service leads lead services: clear the services or choose Service lead"
            )
        return data


class AccountForm(RoleForm):
    """A person's e-mail address, name and role; `person` is None for a new account."""

    email = forms.EmailField(
        label="E-mail address", max_length=254, required=False,
        help_text="Single sign-on and password resets find the account by this address.",
        error_messages={"invalid": "Enter an e-mail address like name@council.gov.uk"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)

    field_order = ["email", "first_name", "last_name", "role", "services"]

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self):
        email = self.cleaned_data["email"]
        others = get_user_model().objects.exclude(pk=getattr(self.person, "pk", None))
        if email and (others.filter(email__iexact=email).exists()
                      or others.filter(username__iexact=email).exists()):
            raise forms.ValidationError("Someone already has an account with that e-mail address")
        return email


class InviteForm(AccountForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].error_messages["required"] = "Enter an e-mail address"
        self.fields["email"].help_text = "The invitation goes to this address."


class ApiTokenForm(GovukForm):
    """A new API token's name and how long it lasts."""

    name = forms.CharField(
        label="Name", max_length=100,
        help_text="What the token is for, so you can tell your tokens apart: e.g. Power BI refresh.",
        error_messages={"required": "Enter a name for the token",
                        "max_length": "Name the token in 100 characters or fewer"},
    )
    days = forms.TypedChoiceField(
        label="Expires after", coerce=int, choices=list(tokens.LIFETIMES.items()), initial=90,
        error_messages={"required": "Choose when the token expires",
                        "invalid_choice": "Choose when the token expires"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter a name for the token")
        if self.user.api_tokens.filter(name=name).exists():
            raise forms.ValidationError("You already have a token with this name: choose another name")
        from accounts.services import TokenLimit, check_token_limit

        try:
            check_token_limit(self.user)
        except TokenLimit as error:
            raise forms.ValidationError(str(error)) from None
        return name
