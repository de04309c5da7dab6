"""The shared cache of published pages' content.

A page's content (its tables, charts and counts) is the same for everyone who may read the page,
so it is cached once for all, keyed by the page, its parameters (filters, sort, page number) and
its as-at month, under measures.publication's version. The per-user parts (navigation, sign-out,
buttons that depend on a person's rights) stay outside the cached part:

    part = PublishedPart("dashboard", request, as_at)       # in the view
    {% load published_part %}{% published_part "table" %}...{% endpublished_part %}

Each part is stored with the version it was built under, and read in one round trip with the
version now in force (one `get_many`): a part stored under another version is not served, so a
publish retires it at once, however late a request that began before the publish stores it.
When the part is cached, the view skips the queries that only the part needs (`part.hit`).
Parts named in `per_filter` (a list's filter form, counts and chart) are keyed by the
`filters` parameters only, so every page and sort of a list shares them.
A part's HTML is kept as zlib-compressed UTF-8 (a report's 4 MB is about 130 kB): a hit moves,
unpickles and (in the database cache) base64-decodes a thirtieth of it, which costs far more than
decompressing it. Other values (the dashboard's RAG counts) are kept as they are. On a hit the
part stays UTF-8 bytes: the template writes a placeholder and the view's response has the bytes
spliced in (`splice`), so megabytes of HTML are never decoded, joined into the page and encoded
again.
Settings: PERFHUB_PAGE_CACHE (on by default) and PERFHUB_PAGE_CACHE_SECONDS (how long a page
may be kept at most, a safety net for changes made outside the services).
"""

import secrets
import zlib
from hashlib import sha256

from django.conf import settings
from django.core.cache import cache

from measures.publication import VERSION_KEY, published_version


class PublishedPart:
    def __init__(self, page, request, *extra, names=("content",), per_filter=(), filters=()):
        self.keys = {}
        self.html = {}  # name -> the cached part: HTML as UTF-8 bytes
        self.placed = {}  # placeholder -> the HTML it stands for
        if not settings.PERFHUB_PAGE_CACHE:
            return
        for name in (*names, *per_filter):
            params = sorted(
                (key, values) for key, values in request.GET.lists() if name in names or key in filters
            )
            digest = sha256(repr((page, params, extra)).encode()).hexdigest()
            self.keys[name] = f"perfhub:page:{digest}:{name}"
        found = cache.get_many([VERSION_KEY, *self.keys.values()])
        self.version = found.get(VERSION_KEY) or published_version()
        self.html = {
            name: unpacked(found[key][1]) for name, key in self.keys.items()
            if key in found and found[key][0] == self.version
        }

    @property
    def hit(self):
        """Whether every part of the page is in the cache."""
        return bool(self.keys) and len(self.html) == len(self.keys)

    def placeholder(self, name):
        """Where the cached part `name` goes in the page, for `splice` to fill."""
        token = f"<!-- published part {name} {secrets.token_hex(8)} -->"
        html = self.html[name]
        self.placed[token.encode()] = html.encode() if isinstance(html, str) else html  # str: kept before zlib
        return token

    def splice(self, response):
        """The response with the cached parts in place of their placeholders."""
        if self.placed:
            content = response.content
            for token, html in self.placed.items():
                content = content.replace(token, html, 1)
            response.content = content
        return response

    def store(self, name, html):
        if name in self.keys:
            cache.set(self.keys[name], (self.version, packed(html)), timeout=settings.PERFHUB_PAGE_CACHE_SECONDS)


def packed(html):
    """A part as it is kept in the cache: HTML compressed, anything else as it is."""
    return zlib.compress(html.encode()) if isinstance(html, str) else html


def unpacked(kept):
    """A part as kept, HTML as UTF-8 bytes (never decoded: `splice` puts it in the response)."""
    return zlib.decompress(kept) if isinstance(kept, bytes) else kept
