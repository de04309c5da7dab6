from django import forms

from notifications.models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email"]
        labels = {"email": "How would you like your notifications by e-mail?"}
        widgets = {"email": forms.RadioSelect}
