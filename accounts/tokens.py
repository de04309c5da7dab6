"""API tokens as plain functions: a new token's text, its digest, and when it expires.

A token reads `perfhub_` then 43 URL-safe characters (256 random bits). Only its SHA-256
digest is stored, so a copy of the database opens nothing.
"""

import hashlib
import secrets
from datetime import timedelta

PREFIX = "perfhub_"
SHOWN_PREFIX = 12  # "perfhub_" and four characters: enough to tell one's tokens apart
LIFETIMES = {30: "30 days", 90: "90 days", 180: "6 months", 365: "1 year"}
# The API's throttle counts per token: a cap on a person's usable tokens keeps it a cap per person.
MAX_USABLE = 5


def new_secret():
    return PREFIX + secrets.token_urlsafe(32)


def digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def expiry(created, days):
    return created + timedelta(days=days)
