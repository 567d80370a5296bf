"""Resource sandbox: a URL in the HTML document -> the bytes of an allowed file, or an error.

Both writers read images, fonts and stylesheets only through here. Allowed are files inside
the project's `assets/` folder and the theme's folder (after resolving symlinks, so a link
that points elsewhere is refused). Nothing is fetched from the network, and no other file is
read, unless the project sets `allow_remote_resources: true`. Images are checked to be real
PNG/JPEG/GIF images of sane size before anyone decodes them in full.
"""

from __future__ import annotations

import io
import mimetypes
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .document import ResourceError

THEME_PREFIX = "_theme/"
DEFAULT_THEME_PREFIX = "_default-theme/"
DEFAULT_THEME = (Path(__file__).parent / "themes" / "default").resolve()
ASSETS_PREFIX = "assets/"
# The document's base URL: WeasyPrint resolves relative URLs against it and names images by
# a hash of the absolute URL, so the project's real folder must not be in it (reproducible
# files, no trace of the build machine). The sandbox maps it back to the project folder.
VIRTUAL_ROOT = "/briefgen-project/"
MAX_RESOURCE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # about 6300 x 6300: far above any photo a brief needs
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
THEME_TYPES = {".ttf", ".otf", ".woff", ".woff2", ".css", ".png", ".jpg", ".jpeg", ".svg"}


class ResourceSandbox:
    """Resolves URLs relative to the document base (the project folder) to allowed files."""

    def __init__(self, project_root: Path, theme_folder: Path, allow_remote: bool = False):
        self.project_root = project_root.resolve()
        self.assets = self.project_root / "assets"
        self.theme_folder = theme_folder.resolve()
        self.allow_remote = allow_remote
        self.base_url = "file://" + VIRTUAL_ROOT
        self._cache: dict[str, tuple[bytes, str]] = {}

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
                result = (data, check_image(data, name))
        self._cache[url] = result
        return result


def check_image(data: bytes, name: str) -> str:
    """The image's MIME type, after checking it is a PNG/JPEG/GIF of sane pixel count."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ResourceError(
                    f"{name}: image is {width}x{height} pixels, more than {MAX_IMAGE_PIXELS:,} "
                    "(a decompression bomb or an unreasonably large picture); scale it down"
                )
            image.verify()
    except ResourceError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own limit, checked on opening
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(pixels.group(1)):,} pixels" if pixels else "too many pixels"
        raise ResourceError(
            f"{name}: image has {count}, more than {MAX_IMAGE_PIXELS:,} (a decompression bomb or an "
            "unreasonably large picture); scale it down"
        ) from None
    except Exception as exc:  # Pillow raises many types for broken files
        raise ResourceError(f"{name}: not a readable PNG, JPEG or GIF image ({exc})") from None
    if kind not in IMAGE_TYPES:
        raise ResourceError(f"{name}: {kind} images are not supported; use PNG or JPEG")
    return IMAGE_TYPES[kind]


def _fetch_remote(url: str) -> tuple[bytes, str]:
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as response:
        data = response.read(MAX_RESOURCE_BYTES + 1)
    if len(data) > MAX_RESOURCE_BYTES:
        raise ResourceError(f"{url}: larger than {MAX_RESOURCE_BYTES // (1024 * 1024)} MiB")
    return data, check_image(data, url)
