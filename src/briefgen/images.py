"""Images: the bytes of an image file -> clean bytes that carry pixels and nothing else.

Every image written into any output (photos, logos, theme images, chart rasters) passes
through `clean_image` once per process (a cache keyed by the source's SHA-256), so a build
that writes a photo into a PDF, a DOCX and an HTML folder encodes it once.

What a clean image is:

- Raster images (JPEG, PNG, GIF, WebP, TIFF) are decoded in full and re-encoded from their
  pixels alone: the EXIF orientation is applied first, then nothing of the source's
  metadata survives (EXIF with its GPS position, serial numbers and thumbnail, XMP, IPTC,
  JPEG comments and APP segments, PNG text chunks, TIFF tags). A colour profile other than
  sRGB is converted to sRGB; no profile is embedded (sRGB is what every reader assumes).
  JPEG stays JPEG (with the source's quantisation tables, so quality is kept), everything
  else becomes PNG (lossless); animations keep their first frame.
- SVG images are accepted only without scripts, event handlers, embedded HTML, entities or
  references to anything outside the file; comments, `<metadata>` and editors' private
  attributes (Inkscape's export path, for one) are dropped.
- Encoding is deterministic: the same source gives the same bytes, so builds under
  SOURCE_DATE_EPOCH stay byte-identical.

Images that are not what they claim are refused with an `ImageError` (a ResourceError)
whose message starts with the name as written: a PNG named .jpg, a truncated or damaged
file, a decompression bomb, an SVG with active content.

`metadata_text` is the other direction, for the confidentiality check: every text an
image's metadata holds, read back from written files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import posixpath
import re
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .document import ResourceError

MAX_IMAGE_PIXELS = 40_000_000  # about 6300 x 6300: far above any photo a brief needs
_CACHE_ENTRIES = 256
_CACHE_BYTES = 256 * 1024 * 1024  # cleaned images kept per process

# Format sniffed from the first bytes -> (MIME type of the clean image, name suffixes)
FORMATS = {
    "JPEG": ("image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif")),
    "PNG": ("image/png", (".png",)),
    "GIF": ("image/png", (".gif",)),
    "WEBP": ("image/png", (".webp",)),
    "TIFF": ("image/png", (".tif", ".tiff")),
    "SVG": ("image/svg+xml", (".svg",)),
}
_SUFFIX_KIND = {suffix: kind for kind, (_mime, suffixes) in FORMATS.items() for suffix in suffixes}
_EXTENSION = {"image/jpeg": ".jpg", "image/png": ".png", "image/svg+xml": ".svg"}


class ImageError(ResourceError):
    """An image that cannot be used: not what it claims, damaged, too large or active.

    `message` names the image as written; `hint` says what to do about it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(f"{message}; {hint}" if hint else message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    mime: str  # image/jpeg, image/png or image/svg+xml
    width: int  # pixels; 0 for SVG
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def name(self) -> str:
        """A neutral file name: the content's hash, never the source's name."""
        return self.digest[:20] + _EXTENSION[self.mime]


_cache: OrderedDict[bytes, CleanImage] = OrderedDict()
_checked: set[bytes] = set()  # sources check_image accepted (SHA-256)


def clean_image(data: bytes, name: str) -> CleanImage:
    """The image `data` with pixels only (see the module docstring), or ImageError.

    `name` is how the image was named where it was referred to (a path under assets/, a
    URL, "chart 3"); it starts every error message and its suffix must match the content.
    """
    kind = _kind(data, name)
    key = hashlib.sha256(data).digest()
    if key in _cache:
        _cache.move_to_end(key)
        return _cache[key]
    clean = _clean_svg(data, name) if kind == "SVG" else _clean_raster(data, name, kind)
    _cache[key] = clean
    while len(_cache) > _CACHE_ENTRIES or sum(len(c.data) for c in _cache.values()) > _CACHE_BYTES:
        _cache.popitem(last=False)
    return clean


def check_image(data: bytes, name: str) -> None:
    """Raise ImageError unless clean_image would accept `data`, at less cost (for validate):
    nothing is encoded, and a JPEG is decoded at an eighth of its size (every byte of it is
    still read, so a truncated file is still found)."""
    kind = _kind(data, name)
    key = hashlib.sha256(data).digest()
    if key in _cache or key in _checked:
        return
    if kind == "SVG":
        _clean_svg(data, name)
    else:
        _decode(data, name, kind, draft=True)
    _checked.add(key)


def _kind(data: bytes, name: str) -> str:
    kind = sniff(data)
    if kind is None:
        raise ImageError(
            f"{name}: not a readable PNG, JPEG or GIF image (nor WebP, TIFF or SVG)",
            "export it again as PNG or JPEG",
        )
    _check_name(kind, name)
    return kind


def sniff(data: bytes) -> str | None:
    """The image format from the file's first bytes (never from its name), or None."""
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "TIFF"
    text = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<") and re.search(rb"<svg[\s>]", data[:4096]):
        return "SVG"
    return None


def _check_name(kind: str, name: str) -> None:
    suffix = posixpath.splitext(unquote(urlsplit(name).path))[1].lower()
    claimed = _SUFFIX_KIND.get(suffix)
    if claimed is not None and claimed != kind:
        right = FORMATS[kind][1][0]
        raise ImageError(
            f"{name}: the file is a {_label(kind)} image, but its name says {_label(claimed)}",
            f"an image must be what its name says: rename it to {right}, or export it again as "
            f"{_label(claimed)}",
        )


def _label(kind: str) -> str:
    return {"WEBP": "WebP"}.get(kind, kind)


# ---------------------------------------------------------------- raster images


def _clean_raster(data: bytes, name: str, kind: str) -> CleanImage:
    source = _decode(data, name, kind)
    try:
        return _encode(source, kind)
    except Exception as exc:  # an exotic mode or profile Pillow cannot convert
        raise ImageError(
            f"{name}: the {_label(kind)} image cannot be converted to plain RGB pixels ({exc})",
            "export it again as an 8-bit RGB PNG or JPEG",
        ) from None


def _encode(source, kind: str) -> CleanImage:
    """A decoded image -> its pixels, upright and in sRGB, encoded without any metadata."""
    from PIL import ImageOps

    quantization = getattr(source, "quantization", None)
    sampling = _jpeg_sampling(source) if kind == "JPEG" else -1
    source_mode = source.mode
    try:
        upright = ImageOps.exif_transpose(source) or source
    except Exception:  # a broken orientation tag: the pixels as stored
        upright = source
    pixels = _to_srgb_pixels(upright)
    out = io.BytesIO()
    if kind == "JPEG" and pixels.mode in ("L", "RGB"):
        options: dict = {"quality": 92}
        if quantization and source_mode in ("L", "RGB") and len(quantization) <= 4:
            options = {"qtables": [list(quantization[i]) for i in sorted(quantization)]}
        if sampling >= 0 and pixels.mode == "RGB":
            options["subsampling"] = sampling
        pixels.save(out, format="JPEG", optimize=False, progressive=False, **options)
        mime = "image/jpeg"
    else:
        pixels.save(out, format="PNG", optimize=False, compress_level=6)
        mime = "image/png"
    return CleanImage(out.getvalue(), mime, pixels.width, pixels.height)


def _decode(data: bytes, name: str, kind: str, draft: bool = False):
    """The image's first frame, decoded in full (a JPEG at 1/8 scale with `draft`), after
    checking its pixel count from the header; ImageError if it is damaged or too large."""
    from PIL import Image, ImageFile

    try:
        with _strict_decoding(ImageFile):
            source = Image.open(io.BytesIO(data), formats=[kind])
            width, height = source.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _too_large(name, f"{width}x{height} pixels")
            if kind == "PNG":  # chunk checksums: a damaged file is refused, not half-shown
                Image.open(io.BytesIO(data), formats=["PNG"]).verify()
            source.seek(0)  # an animation shows its first frame
            if draft and kind == "JPEG":
                source.draft(source.mode, (max(width // 8, 1), max(height // 8, 1)))
            source.load()
            return source
    except ImageError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow's own limit, checked on opening
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_large(name, f"{int(found.group(1)):,} pixels" if found else "too many pixels") from None
    except Exception as exc:  # Pillow raises many types for broken files
        raise ImageError(
            f"{name}: the {_label(kind)} image is truncated or damaged ({exc})",
            "export it again from the original",
        ) from None


def _too_large(name: str, size: str) -> ImageError:
    return ImageError(
        f"{name}: image is {size}, more than {MAX_IMAGE_PIXELS:,} pixels (a decompression bomb "
        "or an unreasonably large picture)",
        "scale it down",
    )


@contextlib.contextmanager
def _strict_decoding(image_file):
    # WeasyPrint sets LOAD_TRUNCATED_IMAGES when imported; a truncated file must fail here.
    before = image_file.LOAD_TRUNCATED_IMAGES
    image_file.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        image_file.LOAD_TRUNCATED_IMAGES = before


def _jpeg_sampling(image) -> int:
    from PIL import JpegImagePlugin

    try:
        return JpegImagePlugin.get_sampling(image)
    except Exception:
        return -1


_ALPHA_MODES = {"RGBA", "LA", "PA", "RGBa", "La"}


def _to_srgb_pixels(image):
    """A new image holding only the pixels, as L, LA, RGB or RGBA in sRGB (no info at all)."""
    from PIL import Image

    alpha = image.mode in _ALPHA_MODES or "transparency" in image.info
    profile = image.info.get("icc_profile")
    if image.mode in ("RGB", "L") and alpha:  # a colour-key transparency (PNG tRNS)
        image = image.convert("RGBA" if image.mode == "RGB" else "LA")
    elif image.mode in ("P", "PA", "1"):
        image = image.convert("RGBA" if alpha else ("L" if image.mode == "1" else "RGB"))
    elif image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        # 16-bit and float greyscale: scale to 8 bits rather than clip at 255.
        image = image.convert("I").point(lambda v: v / 256 if v > 255 else v).convert("L")
    converted = _profile_to_srgb(image, profile, alpha) if profile else None
    if converted is not None:
        image = converted
    elif image.mode in ("RGBa", "La"):
        image = image.convert("RGBA" if image.mode == "RGBa" else "LA")
    elif image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if alpha else "RGB")
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _profile_to_srgb(image, profile: bytes, alpha: bool):
    """The image converted from its embedded profile to sRGB, or None when it is sRGB already
    (or the profile cannot be read: it is dropped, the numbers are taken as sRGB)."""
    from PIL import Image, ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if "srgb" in ImageCms.getProfileDescription(source).lower().replace(" ", ""):
            return None
        space = source.profile.xcolor_space.strip()
        mode = {"RGB": "RGB", "CMYK": "CMYK", "GRAY": "L"}.get(space)
        if mode is None:
            return None
        matte = image.getchannel("A") if alpha and "A" in image.getbands() else None
        base = image.convert(mode) if image.mode != mode else image
        srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
        out_mode = "L" if mode == "L" else "RGB"
        result = ImageCms.profileToProfile(base, source, srgb, outputMode=out_mode)
        if result is None:
            return None
        if matte is not None:
            result = Image.merge(result.mode + "A", (*result.split(), matte))
        return result
    except Exception:
        return None


# ---------------------------------------------------------------- SVG

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
_ACTIVE_ELEMENTS = {"script", "foreignObject", "handler", "listener", "iframe", "object", "embed"}
_REFERENCE_ATTRIBUTES = {"href", "src"}
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
MAX_SVG_BYTES = 5 * 1024 * 1024


def _clean_svg(data: bytes, name: str) -> CleanImage:
    from lxml import etree

    if len(data) > MAX_SVG_BYTES:
        raise ImageError(
            f"{name}: SVG image larger than {MAX_SVG_BYTES // (1024 * 1024)} MiB", "export it as PNG"
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ImageError(f"{name}: the SVG image is not well-formed XML ({exc})", "export it again") from None
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        _svg_refused(name, "has a DOCTYPE (its entities could expand without end or read files)")
    if root.tag != f"{{{_SVG_NS}}}svg":
        _svg_refused(name, "does not start with an <svg> element in the SVG namespace")
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # an entity reference
            _svg_refused(name, f"uses an entity (line {element.sourceline})")
        namespace, local = _split(element.tag)
        line = element.sourceline
        if local in _ACTIVE_ELEMENTS:
            why = f"has a <{local}> element (line {line}): images may not run code or embed pages"
            _svg_refused(name, why)
        if namespace != _SVG_NS or local == "metadata":
            element.getparent().remove(element)  # editors' private data, RDF author records
            continue
        if local == "style" and element.text:
            _check_css(name, element.text, line)
        for attribute, value in list(element.attrib.items()):
            attr_ns, attr_local = _split(attribute)
            if attr_local.lower().startswith("on"):
                why = f"has an event handler {attr_local}= (line {line}): images may not run code"
                _svg_refused(name, why)
            if attr_ns not in ("", _XLINK_NS, _XML_NS):
                del element.attrib[attribute]  # inkscape:export-filename, sodipodi:docname ...
                continue
            if attr_local in _REFERENCE_ATTRIBUTES and not value.strip().startswith("#"):
                _svg_refused(
                    name,
                    f"refers to {value.strip()[:80]!r} (line {line}): an image may refer only to "
                    "its own parts ('#id'), not to other files or addresses",
                )
            if attr_local == "style" or "url(" in value:
                _check_css(name, value, line)
    etree.cleanup_namespaces(root)
    clean = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    return CleanImage(clean, "image/svg+xml", 0, 0)


def _check_css(name: str, css: str, line: int | None) -> None:
    if "@import" in css.lower():
        _svg_refused(name, f"imports a stylesheet (line {line}): an image may not fetch anything")
    for target in _CSS_URL.findall(css):
        if target and not target.startswith("#"):
            _svg_refused(
                name,
                f"refers to {target[:80]!r} in its style (line {line}): an image may refer only to "
                "its own parts ('#id')",
            )


def _svg_refused(name: str, why: str) -> None:
    raise ImageError(f"{name}: the SVG image {why}", "export it as PNG, or remove that part")


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


# ---------------------------------------------------------------- reading metadata back


def metadata_text(data: bytes) -> str:
    """Every text an image file's metadata holds (EXIF and its GPS and maker sections, XMP,
    IPTC, comments, PNG text chunks, TIFF tags, APP segments; an SVG's whole text), for the
    confidentiality check. Pixels are not read: decoded as text they would only be noise."""
    kind = sniff(data)
    if kind == "SVG":
        return data.decode("utf-8", errors="replace")
    if kind is None:
        return ""
    from PIL import Image

    chunks: list[str] = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            for key, value in image.info.items():
                chunks.append(str(key))
                _add_value(chunks, value)
            for _marker, segment in getattr(image, "applist", []):
                _add_value(chunks, segment)
            exif = image.getexif()
            _add_exif(chunks, exif)
            tags = getattr(image, "tag_v2", None)
            if tags is not None:
                for value in dict(tags).values():
                    _add_value(chunks, value)
            with contextlib.suppress(Exception):
                from PIL import IptcImagePlugin

                for value in (IptcImagePlugin.getiptcinfo(image) or {}).values():
                    _add_value(chunks, value)
            with contextlib.suppress(Exception):
                for key, value in getattr(image, "text", {}).items():  # text chunks after the pixels
                    chunks.extend((key, str(value)))
    except Exception:
        # Not readable as an image: its bytes are all there is to read.
        _add_value(chunks, data)
    return "\n".join(chunks)


def _add_exif(chunks: list[str], exif) -> None:
    for value in exif.values():
        _add_value(chunks, value)
    for ifd in (0x8769, 0x8825, 0xA005, 0x927C):  # Exif, GPS, interoperability, maker note
        with contextlib.suppress(Exception):
            for value in exif.get_ifd(ifd).values():
                _add_value(chunks, value)
    with contextlib.suppress(Exception):  # IFD1: the thumbnail's own tags
        from PIL.ExifTags import IFD

        for value in exif.get_ifd(IFD.IFD1).values():
            _add_value(chunks, value)


def _add_value(chunks: list[str], value) -> None:
    if isinstance(value, bytes | bytearray):
        raw = bytes(value)
        chunks.append(raw.decode("utf-8", errors="replace"))
        chunks.append(raw.decode("latin-1"))
        if len(raw) > 1:  # Windows XP tags and some IPTC records are UTF-16
            chunks.append(raw.decode("utf-16-le", errors="ignore"))
    elif isinstance(value, tuple | list):
        for item in value:
            _add_value(chunks, item)
    elif isinstance(value, dict):
        for item in value.values():
            _add_value(chunks, item)
    elif value is not None:
        chunks.append(str(value))
