"""Django's Redis cache, failing open: with Redis stopped or frozen, pages are served uncached.

The cache holds published pages' parts, the version that retires them, the API's throttle
counts and an import's progress: all of it can be rebuilt, none of it is worth an error page.
Every operation has a socket timeout (CACHE_TIMEOUT, seconds); when one fails, a warning is
logged and the cache is left alone for CACHE_RETRY seconds (so a frozen Redis costs one timeout,
not one per request), each operation answering as a cache that holds nothing: get gives its
default, add and delete False, incr ValueError (as for a missing key). Once Redis answers again
after a failure, this process clears it: a publish made meanwhile could not retire the pages
kept there.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("perfhub.cache")

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("retry_seconds", 30))
        timeout = float(options.pop("timeout_seconds", 0.5))
        options.setdefault("socket_timeout", timeout)
        options.setdefault("socket_connect_timeout", timeout)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._down_until = None  # while set, the cache is skipped; once past, retried

    def _guarded(self, operation, fallback, *args, **kwargs):
        now = time.monotonic()
        if self._down_until is not None and now < self._down_until:
            return fallback()
        try:
            result = operation(*args, **kwargs)
        except UNAVAILABLE as error:
            logger.warning("The cache is not answering (%s): serving pages uncached for %s s.",
                           error, self.retry_seconds)
            self._down_until = now + self.retry_seconds
            return fallback()
        if self._down_until is not None:
            self._down_until = None
            logger.warning("The cache answers again: clearing what it kept from before.")
            try:
                super().clear()
            except UNAVAILABLE:
                pass
        return result

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, lambda: default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, dict, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set, lambda: None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set_many, list, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().add, lambda: False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(super().delete, lambda: False, key, version)

    def delete_many(self, keys, version=None):
        return self._guarded(super().delete_many, lambda: None, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded(super().incr, _missing(key), key, delta, version)

    def clear(self):
        return self._guarded(super().clear, lambda: None)


def _missing(key):
    def fallback():
        raise ValueError(f"Key '{key}' not found (the cache is not answering)")
    return fallback
