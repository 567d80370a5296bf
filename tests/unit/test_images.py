"""images.py: camera photos in -> pixels only out; images that are not what they claim refused."""

from __future__ import annotations

import io
import shutil

import pytest
from photo_fixtures import (
    CAMERA_PHOTOS,
    MARKERS,
    PIXELS_ONLY,
    SIZE,
    camera_jpeg,
    camera_png,
    pixels,
    tag_groups,
)
from PIL import Image, ImageCms

from briefgen import images
from briefgen.images import ImageError, check_image, clean_image, metadata_text


@pytest.fixture(autouse=True)
def empty_cache():
    images._cache.clear()
    images._checked.clear()
    yield
    images._cache.clear()
    images._checked.clear()


@pytest.mark.parametrize("ext", sorted(CAMERA_PHOTOS))
def test_camera_metadata_is_read_from_the_source(ext):
    # The positive control: metadata_text sees what the cleaning must remove.
    text = metadata_text(CAMERA_PHOTOS[ext]())
    expected = {"make", "artist", "xmp"} | ({"serial", "gps_area", "thumbnail"} if ext != "tif" else {"iptc"})
    assert {name for name, marker in MARKERS.items() if marker in text} >= expected


@pytest.mark.parametrize("ext", sorted(CAMERA_PHOTOS))
def test_clean_image_keeps_pixels_and_nothing_else(ext):
    source = CAMERA_PHOTOS[ext]()
    clean = clean_image(source, f"photos/face.{ext}")
    assert (clean.width, clean.height) == SIZE
    assert clean.mime == ("image/jpeg" if ext == "jpg" else "image/png")
    text = metadata_text(clean.data) + clean.data.decode("latin-1")
    assert [name for name, marker in MARKERS.items() if marker in text] == []
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.size == SIZE
        assert not image.getexif()
        assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}
        if ext == "jpg":
            assert [marker for marker, _segment in image.applist] == ["APP0"]  # JFIF only
        if ext != "jpg":  # lossless: the very same pixels
            assert image.convert("RGB").tobytes() == pixels().tobytes()


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
@pytest.mark.parametrize("ext", sorted(CAMERA_PHOTOS))
def test_exiftool_finds_nothing_but_pixels(ext, tmp_path):
    clean = clean_image(CAMERA_PHOTOS[ext](), f"photos/face.{ext}")
    path = tmp_path / clean.name
    path.write_bytes(clean.data)
    assert tag_groups(path) <= PIXELS_ONLY, tag_groups(path) - PIXELS_ONLY


def test_source_exiftool_groups_are_seen(tmp_path):
    # The positive control for the test above: exiftool sees the camera's metadata.
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool is not installed")
    path = tmp_path / "source.jpg"
    path.write_bytes(camera_jpeg())
    assert {"IFD0", "ExifIFD", "GPS", "IFD1", "XMP-dc", "IPTC"} <= tag_groups(path)


def test_exif_orientation_is_applied_before_it_is_dropped():
    source = camera_jpeg(size=(64, 48), orientation=6)  # "rotate 90 CW to view"
    clean = clean_image(source, "photos/turned.jpg")
    assert (clean.width, clean.height) == (48, 64)
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.size == (48, 64)
        assert not image.getexif()


def test_cleaning_is_deterministic_and_done_once_per_source():
    source = camera_jpeg()
    first = clean_image(source, "a.jpg")
    assert clean_image(source, "b.jpg") is first  # the cache: once per image, whatever its name
    images._cache.clear()
    again = clean_image(source, "c.jpg")
    assert again is not first and again.data == first.data


def test_neutral_name_is_the_content_hash():
    clean = clean_image(camera_png(), "photos/Leyla Yunus at home.png")
    assert clean.name.endswith(".png") and "Leyla" not in clean.name
    assert clean.name[:-4] == clean.digest[:20]


def camera_profile() -> bytes:
    """An RGB profile that does not call itself sRGB (its description says "Cam1 built-in")."""
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert srgb.count("sRGB".encode("utf-16-be")) == 1
    return srgb.replace("sRGB".encode("utf-16-be"), "Cam1".encode("utf-16-be"))


def test_a_profile_other_than_srgb_is_converted_and_not_embedded():
    profile = camera_profile()
    description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    assert description.strip() == "Cam1 built-in"
    out = io.BytesIO()
    pixels().save(out, "PNG", icc_profile=profile)
    clean = clean_image(out.getvalue(), "photos/profiled.png")
    assert "Cam1".encode("utf-16-be") not in clean.data
    with Image.open(io.BytesIO(clean.data)) as image:
        assert "icc_profile" not in image.info
        assert image.size == SIZE and image.mode == "RGB"


def test_srgb_profile_is_dropped_pixels_unchanged():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    pixels().save(out, "PNG", icc_profile=srgb)
    clean = clean_image(out.getvalue(), "photos/srgb.png")
    with Image.open(io.BytesIO(clean.data)) as image:
        assert "icc_profile" not in image.info
        assert image.convert("RGB").tobytes() == pixels().tobytes()


def test_palette_and_transparency_survive():
    image = Image.new("P", (10, 10), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.putpixel((0, 0), 0)
    out = io.BytesIO()
    image.save(out, "GIF", transparency=0, comment=b"GIF comment Haberdasher")
    clean = clean_image(out.getvalue(), "logo.gif")
    assert clean.mime == "image/png" and b"Haberdasher" not in clean.data
    with Image.open(io.BytesIO(clean.data)) as result:
        assert result.mode == "RGBA"
        assert result.getpixel((0, 0))[3] == 0 and result.getpixel((5, 5)) == (255, 0, 0, 255)


# ---------------------------------------------------------------- hostile images


def truncated(data: bytes) -> bytes:
    return data[: len(data) * 2 // 3]


def bomb() -> bytes:
    from security.security_support import bomb_png

    return bomb_png(8000, 8000)


HOSTILE = {
    "png named jpg": ("photo.jpg", camera_png, "is a PNG image, but its name says JPEG"),
    "jpeg named png": ("photo.png", camera_jpeg, "is a JPEG image, but its name says PNG"),
    "truncated jpeg": ("photo.jpg", lambda: truncated(camera_jpeg(size=(400, 300))), "truncated or damaged"),
    "truncated png": ("photo.png", lambda: truncated(camera_png(size=(400, 300))), "truncated or damaged"),
    "not an image": ("photo.png", lambda: b"root:x:0:0:root:/root:/bin/bash\n", "not a readable PNG"),
    "bomb": ("bomb.png", bomb, "decompression bomb"),
    "svg script": (
        "logo.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "has a <script> element",
    ),
    "svg onload": (
        "logo.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1"/></svg>',
        "event handler onload",
    ),
    "svg external image": (
        "logo.svg",
        lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            b'<image xlink:href="file:///etc/passwd" width="5" height="5"/></svg>'
        ),
        "refers to 'file:///etc/passwd'",
    ),
    "svg remote href": (
        "logo.svg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><use href="http://127.0.0.1:9/x.svg#a"/></svg>',
        "refers to 'http://127.0.0.1:9/x.svg#a'",
    ),
    "svg css url": (
        "logo.svg",
        lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(http://example.org/x)"/></svg>'
        ),
        "in its style",
    ),
    "svg css import": (
        "logo.svg",
        lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "http://example.org/a.css";</style></svg>'
        ),
        "imports a stylesheet",
    ),
    "svg entity": (
        "logo.svg",
        lambda: (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'
        ),
        "has a DOCTYPE",
    ),
    "svg foreign object": (
        "logo.svg",
        lambda: (
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">'
            b"hi</p></foreignObject></svg>"
        ),
        "<foreignObject> element",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
@pytest.mark.parametrize("function", [clean_image, check_image], ids=["clean", "check"])
def test_hostile_images_are_refused_with_their_name(case, function):
    name, make, reason = HOSTILE[case]
    with pytest.raises(ImageError) as info:
        function(make(), f"assets/{name}")
    message = str(info.value)
    assert message.startswith(f"assets/{name}: ") and reason in message, message
    assert info.value.hint


def test_clean_svg_keeps_drawing_drops_editor_metadata():
    source = (
        b'<?xml version="1.0"?>\n<!-- drawn by Author Name Bartleby -->\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" '
        b'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        b'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
        b'inkscape:export-filename="/home/bartleby/secret/logo.png" sodipodi:docname="bartleby-logo.svg" '
        b'viewBox="0 0 10 10"><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'Bartleby</rdf:RDF></metadata><sodipodi:namedview id="n"/>'
        b'<defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/>'
        b'<use href="#g"/></svg>'
    )
    clean = clean_image(source, "assets/logo.svg")
    assert clean.mime == "image/svg+xml" and clean.name.endswith(".svg")
    assert b"artleby" not in clean.data and b"inkscape" not in clean.data and b"sodipodi" not in clean.data
    assert b'<rect width="10" height="10" fill="url(#g)"/>' in clean.data


def test_metadata_text_of_a_broken_file_is_its_bytes():
    assert "Wibble" in metadata_text(b"\x89PNG\r\n\x1a\nWibble but no chunks")


@pytest.mark.parametrize("ext", sorted(CAMERA_PHOTOS))
def test_check_image_accepts_what_clean_image_accepts(ext):
    check_image(CAMERA_PHOTOS[ext](), f"photos/face.{ext}")
    assert images._cache == {}  # nothing was encoded


def test_a_truncated_large_jpeg_is_found_by_the_fast_check():
    source = camera_jpeg(size=(1600, 1200))
    with pytest.raises(ImageError, match="truncated"):
        check_image(source[: len(source) - len(source) // 10], "photos/big.jpg")
