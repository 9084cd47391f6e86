"""The static files storage: whitenoise's compressed manifest storage, its URLs remembered.

Every page asks for the same seven static URLs (base.html's stylesheets, scripts and icon). The
manifest storage works each out afresh (cleaning and splitting the name, looking it up in the
manifest, quoting and joining it to STATIC_URL): about 2% of a page's CPU (benchmarks/page_cpu.py).
The answer depends only on the name, `force`, DEBUG (which serves unhashed names) and the manifest
the storage loaded, so it is remembered per storage instance, keyed on those; a name missing from
the manifest raises as before and is not remembered. collectstatic's post-processing, which
rebuilds the manifest, starts the memory again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Far more than the static files any page names; a bound, not a figure to tune.
MAX_REMEMBERED = 2048


class RememberingStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool, bool, int], str] = {}

    def url(self, name: Any, force: bool = False) -> str:
        key = (name, force, settings.DEBUG, id(self.hashed_files))
        url = self._urls.get(key)
        if url is None:
            url = super().url(name, force)
            if len(self._urls) >= MAX_REMEMBERED:
                self._urls.clear()
            self._urls[key] = url
        return url

    def post_process(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
