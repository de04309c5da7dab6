"""Optimistic locking for the forms that edit saved rows (a measure, a risk, a year of targets):
the form carries a fingerprint of what it showed, and a save is refused when the rows have
changed since, as a value's save is refused when its version moved (measures.services).

Two people editing the same thing: the second to save is told, and shown what is there now,
instead of silently undoing the first one's change.
"""

import hashlib
import json

from django import forms

STALE = ("Someone else changed this while you were editing it: nothing was saved. Reload the page "
         "to see their change, or save again to replace it with yours.")


def fingerprint(data):
    """A short digest of `data` (anything JSON can write once dates and decimals are text)."""
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def row_state(instance):
    """What a form may change of a saved `instance`: its editable fields and many-to-many links,
    read from the database."""
    fresh = type(instance)._default_manager.get(pk=instance.pk)
    opts = fresh._meta
    state = {f.attname: getattr(fresh, f.attname) for f in opts.concrete_fields if f.editable and not f.primary_key}
    for field in opts.many_to_many:
        if field.editable:
            state[field.name] = sorted(getattr(fresh, field.name).values_list("pk", flat=True))
    return state


def row_fingerprint(instance):
    return fingerprint(row_state(instance))


class LockedModelForm(forms.ModelForm):
    """A change form (the admin's) that refuses to save over a change made since it was opened;
    saving again, having been told, replaces it."""

    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_state"].initial = row_fingerprint(self.instance)

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.add_prefix("seen_state") in self.data:  # as a value's version
            current = row_fingerprint(self.instance)
            if data.get("seen_state") != current:
                self.data = self.data.copy()
                self.data[self.add_prefix("seen_state")] = current
                raise forms.ValidationError(STALE)
        return data
