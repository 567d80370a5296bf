"""Resource sandbox: a URL in the HTML document -> the bytes of an allowed file, or an error.

Both writers read images, fonts and stylesheets only through here. Allowed are files inside
the project's `assets/` folder and the theme's folder (after resolving symlinks, so a link
that points elsewhere is refused). Nothing is fetched from the network, and no other file is
read, unless the project sets `allow_remote_resources: true`. Every image (from assets/, the
theme or the network) is handed out only as `images.clean_image` made it: pixels without
metadata, checked to be what its name says and of sane size.
"""

from __future__ import annotations

import hashlib
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .document import ResourceError
from .fonts import SYSTEM_PREFIX, font_bytes, system_font
from .images import MAX_IMAGE_PIXELS, clean_image

THEME_PREFIX = "_theme/"
DEFAULT_THEME_PREFIX = "_default-theme/"
DEFAULT_THEME = (Path(__file__).parent / "themes" / "default").resolve()
ASSETS_PREFIX = "assets/"
# The document's base URL: WeasyPrint resolves relative URLs against it and names images by
# a hash of the absolute URL, so the project's real folder must not be in it (reproducible
# files, no trace of the build machine). The sandbox maps it back to the project folder.
VIRTUAL_ROOT = "/briefgen-project/"
MAX_RESOURCE_BYTES = 20 * 1024 * 1024
# Theme files handed out as they are; the theme's images are cleaned like any other.
THEME_TYPES = {".ttf", ".otf", ".woff", ".woff2", ".css"}
__all__ = ["MAX_IMAGE_PIXELS", "ResourceSandbox", "check_image"]


class ResourceSandbox:
    """Resolves URLs relative to the document base (the project folder) to allowed files."""

    def __init__(self, project_root: Path, theme_folder: Path, allow_remote: bool = False):
        self.project_root = project_root.resolve()
        self.assets = self.project_root / "assets"
        self.theme_folder = theme_folder.resolve()
        self.allow_remote = allow_remote
        self.base_url = "file://" + VIRTUAL_ROOT
        self._cache: dict[str, tuple[bytes, str]] = {}
        self._sources: dict[str, str] = {}  # URL -> SHA-256 of the file's own bytes
        self._asset_digests: dict[str, str | None] = {}

    def resolve(self, url: str) -> Path:
        """The file a URL names, if it is allowed; otherwise ResourceError."""
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            raise ResourceError(
                f"{url}: remote resources are not fetched (set allow_remote_resources: true in "
                "briefgen.yaml to allow them)"
            )
        if parts.scheme == "file":
            path = unquote(parts.path)
            if not path.startswith(VIRTUAL_ROOT):
                raise ResourceError(f"{url}: only files under assets/ or the theme may be used")
            relative = path[len(VIRTUAL_ROOT) :]
            url = relative  # as the template wrote it: no machine path in messages
        elif parts.scheme == "":
            relative = posixpath.normpath(unquote(parts.path)).removeprefix("./")
            if relative.startswith(("../", "/")) or relative == "..":
                raise ResourceError(f"{url}: only files under assets/ or the theme may be used")
        else:
            raise ResourceError(f"{url}: the {parts.scheme}: scheme is not allowed")
        if relative.startswith(DEFAULT_THEME_PREFIX):
            root, inside = DEFAULT_THEME, relative[len(DEFAULT_THEME_PREFIX) :]
        elif relative.startswith(THEME_PREFIX):
            root, inside = self.theme_folder, relative[len(THEME_PREFIX) :]
        elif relative.startswith(ASSETS_PREFIX):
            root, inside = self.assets, relative[len(ASSETS_PREFIX) :]
        else:
            raise ResourceError(f"{url}: only files under assets/ or the theme may be used")
        target = (root / inside).resolve()
        if not target.is_relative_to(root.resolve()):
            raise ResourceError(f"{url}: the path leaves {root.name}/ (through '..' or a symbolic link)")
        if not target.is_file():
            raise ResourceError(f"{url}: no such file")
        return target

    def read(self, url: str) -> tuple[bytes, str]:
        """(bytes, mime type) of an allowed resource; images are checked before use."""
        if url in self._cache:
            return self._cache[url]
        system = self._system_font(url)
        if system is not None:
            return system  # not cached here: fonts.py keeps each face once per process
        if urlsplit(url).scheme in ("http", "https") and self.allow_remote:
            result = _fetch_remote(url)
        else:
            path = self.resolve(url)
            name = url.removeprefix(self.base_url)  # as written in the template: no machine path
            if path.stat().st_size > MAX_RESOURCE_BYTES:
                raise ResourceError(f"{name}: larger than {MAX_RESOURCE_BYTES // (1024 * 1024)} MiB")
            data = path.read_bytes()
            if (
                path.is_relative_to(self.theme_folder) or path.is_relative_to(DEFAULT_THEME)
            ) and path.suffix.lower() in THEME_TYPES:
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if path.suffix.lower() in (".ttf", ".otf"):
                    mime = "font/" + path.suffix.lower().lstrip(".")
                result = (data, mime)
            else:
                clean = clean_image(data, name)
                result = (clean.data, clean.mime)
            self._sources[url] = hashlib.sha256(data).hexdigest()
        self._cache[url] = result
        return result

    def file_digest(self, asset: str) -> str | None:
        """SHA-256 of the bytes of assets/ASSET, or None when it cannot be read."""
        if asset not in self._asset_digests:
            try:
                data = self.resolve(ASSETS_PREFIX + asset).read_bytes()
                self._asset_digests[asset] = hashlib.sha256(data).hexdigest()
            except (ResourceError, OSError):
                self._asset_digests[asset] = None
        return self._asset_digests[asset]

    def withholding(self, withheld: list[tuple[str, str]]):
        """A reader like `read` that also refuses the images of withheld items (View.
        withheld_images): compared by content, so a copy under another name is refused too."""
        digests: dict[str, str] = {}
        for where, asset in withheld:
            digest = self.file_digest(asset)
            if digest is not None:
                digests.setdefault(digest, where)
        if not digests:
            return self.read

        def read(url: str) -> tuple[bytes, str]:
            result = self.read(url)
            where = digests.get(self._sources.get(url, ""))
            if where is not None:
                raise ResourceError(
                    f"{url.removeprefix(self.base_url)}: this image is {where}, withheld from this "
                    "audience (a person shown under a pseudonym is never shown with a photo); "
                    "remove it from the template"
                )
            return result

        return read

    def _system_font(self, url: str) -> tuple[bytes, str] | None:
        """A face of an installed font the theme's script chain declares (fonts.py), by its
        `_system-fonts/<file>/<face>` URL; no other system file is ever read."""
        path = unquote(urlsplit(url).path)
        relative = path[len(VIRTUAL_ROOT) :] if path.startswith(VIRTUAL_ROOT) else path
        if not relative.startswith(SYSTEM_PREFIX):
            return None
        from .theme import ThemeError, load_theme

        name = relative[len(SYSTEM_PREFIX) :]
        font = system_font(load_theme(self.theme_folder), name)
        if font is None:
            raise ResourceError(f"{SYSTEM_PREFIX}{name}: not a font the theme declares")
        try:
            return font_bytes(font), "font/otf"
        except (OSError, ThemeError) as exc:
            package = f" (install the Debian package {font.package})" if font.package else ""
            raise ResourceError(f"{font.family}: {exc}{package}") from None


def check_image(data: bytes, name: str) -> str:
    """The MIME type the image will have once cleaned, after checking it in full (see
    images.clean_image: what its name says, not truncated, of sane pixel count)."""
    return clean_image(data, name).mime


def _fetch_remote(url: str) -> tuple[bytes, str]:
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as response:
        data = response.read(MAX_RESOURCE_BYTES + 1)
    if len(data) > MAX_RESOURCE_BYTES:
        raise ResourceError(f"{url}: larger than {MAX_RESOURCE_BYTES // (1024 * 1024)} MiB")
    clean = clean_image(data, url)
    return clean.data, clean.mime
