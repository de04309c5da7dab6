"""Mappings saved in the database, beside the shipped examples in imports/mappings/.

A saved mapping is TOML text in the shipped files' format, read by the same `mapping.parse`, so a
mapping downloaded from PerfHub can be shipped as a file and a shipped file uploaded as a saved
mapping. Saving checks the mapping as every door does (the page, an upload, the command) and
keeps each version in its history with who saved it and why.
"""

import tomllib

import tomli_w
from django.db import transaction
from django.utils.text import slugify

from imports import mapping as mappings
from imports.models import SavedMapping


def parse_text(text, slug="mapping"):
    """The Mapping the TOML `text` describes; MappingError saying what is wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise mappings.MappingError(f"the mapping is not valid TOML: {error}") from None
    return mappings.parse(data, slug)


def to_toml(data):
    """A mapping's tables (as `mapping.parse` reads them) written as TOML."""
    return tomli_w.dumps(data)


def find(name):
    """The saved mapping called `name` (its name, any case, or its slug), or None."""
    return (SavedMapping.objects.filter(slug=name).first()
            or SavedMapping.objects.filter(name__iexact=name).first())


def load(name):
    """The Mapping called `name`: a saved one, else a shipped file (or a path to one)."""
    saved = find(name) if name else None
    if saved is not None:
        return parse_text(saved.toml, saved.slug)
    try:
        return mappings.load(name)
    except mappings.MappingError:
        known = [*mappings.names(), *SavedMapping.objects.values_list("slug", flat=True)]
        raise mappings.MappingError(f"There is no mapping {name} (known: {', '.join(sorted(known))})") from None


def all_mappings():
    """Every mapping a file's headers may choose: the saved ones first, then the shipped."""
    saved = []
    for item in SavedMapping.objects.all():
        try:
            saved.append(parse_text(item.toml, item.slug))
        except mappings.MappingError:
            continue  # saved before a rule tightened: it can still be opened and corrected
    return saved + mappings.all_mappings()


def choices():
    """(slug, name) of every mapping, for a drop-down."""
    saved = [(m.slug, f"{m.name} (saved, version {m.version})") for m in SavedMapping.objects.all()]
    return saved + [(m.slug, m.name) for m in mappings.all_mappings()]


@transaction.atomic
def save_mapping(name, text, user=None, reason=""):
    """Save the mapping `text` under `name`: a new saved mapping, or the next version of the one
    of that name. Returns the SavedMapping; MappingError when the text is not a mapping or the
    name is a shipped example's."""
    name = " ".join(name.split())
    slug = slugify(name)[:100]
    if not slug:
        raise mappings.MappingError("give the mapping a name with a letter or digit in it")
    if slug in mappings.names():
        raise mappings.MappingError(f"'{name}' is the name of a shipped example mapping: choose another name")
    parse_text(text, slug)
    saved = SavedMapping.objects.select_for_update().filter(slug=slug).first()
    if saved is None:
        saved = SavedMapping(name=name, slug=slug, toml=text, updated_by=user)
    elif saved.toml == text:
        return saved
    else:
        saved.name, saved.toml, saved.updated_by = name, text, user
        saved.version += 1
    saved._change_reason = reason or ("Saved in the mapping editor" if saved.pk is None else "Changed")
    saved.save()
    return saved
