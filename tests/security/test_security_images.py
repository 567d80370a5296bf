"""Photos that cannot betray anyone (docs/security.md, section 11).

A project whose photos and logo come straight from a camera (EXIF with GPS position, body
serial number and thumbnail; XMP; IPTC; comments; PNG text chunks; in JPEG, PNG, WebP and
TIFF) is built by the CLI in PDF, DOCX and HTML for a public and a confidential audience.
None of the camera's markers may appear anywhere in any output, read raw and through image
metadata (and through exiftool), while every image is still there at its pixel size. Two
people are shown under pseudonyms (a case subject and a speaker): no image of them reaches
any public output, even through a project template that asks for `person.photo`, and a
template that names their photo's file fails the build.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from photo_fixtures import CAMERA_PHOTOS, MARKERS, PIXELS_ONLY, SIZE, camera_jpeg, camera_png, tag_groups
from PIL import Image
from security_support import (
    assert_clean_failure,
    body_template,
    bomb_png,
    make_project,
    raw_strings,
    run_cli,
)

from briefgen.images import metadata_text

# Sizes tell the images apart once re-encoded: the open people's photos are SIZE, the
# withheld subject's and speaker's photos have sizes of their own.
SECRET_SUBJECT_SIZE = (50, 50)
SECRET_SPEAKER_SIZE = (40, 30)
SOURCE_NAMES = ("open-face", "secret-subject", "secret-speaker", "ngo-logo")
EPOCH = {"SOURCE_DATE_EPOCH": "1600000000"}

SETTINGS = """\
name: Photo fixture
publisher: photo-ngo
language: en
as_of: 2021-03-01
audiences:
  - id: public-readers
    name: Public readers
    clearance: public
  - id: trusted
    name: Trusted partners
    clearance: confidential
briefs:
  - id: photo-dossier
    template: case-dossier
    title: Photo dossier
    audiences: [public-readers, trusted]
    cases: all
    formats: [pdf, docx, html]
  - id: photo-all
    template: photos
    title: Every photo asked for
    event: photo-meeting
    audiences: [public-readers, trusted]
    cases: all
    formats: [pdf, docx, html]
"""

CONTENT = """\
organisations:
  - id: photo-ngo
    name: Photo Rights Centre
    logo: ngo-logo.jpg
people:
  - id: open-jpg
    name: Open Jpeg Person
    photo: photos/open-face.jpg
    photo_alt: Open person one
  - id: open-png
    name: Open Png Person
    photo: photos/open-face.png
    photo_alt: Open person two
  - id: open-webp
    name: Open Webp Person
    photo: photos/open-face.webp
    photo_alt: Open person three
  - id: open-tif
    name: Open Tiff Person
    photo: photos/open-face.tif
    photo_alt: Open person four
  - id: secret-subject
    name: Hidden Subject Name
    sensitivity: confidential
    pseudonym: Witness A
    photo: photos/secret-subject.jpg
    photo_alt: Hidden subject portrait
  - id: secret-speaker
    name: Hidden Speaker Name
    sensitivity: confidential
    pseudonym: Witness B
    photo: photos/secret-speaker.png
    photo_alt: Hidden speaker portrait
cases:
  - id: open-case
    subjects: [open-jpg, open-png, open-webp, open-tif]
    status: detained
    summary: Four people photographed.
    sources: [photo-report]
  - id: witness-case
    subjects: [secret-subject]
    status: detained
    summary: A witness whose face must not be shown.
    sources: [photo-report]
events:
  - id: photo-meeting
    title: Photo meeting
    type: expert discussion
    date: 2021-02-15
    organisers: [photo-ngo]
    speakers:
      - person: open-jpg
        points: [Spoke first.]
      - person: secret-speaker
        points: [Spoke second.]
    summary: A meeting.
sources:
  - id: photo-report
    title: A Photo Report
    url: https://example.org/report
"""

# A project template that asks for every person's photo it can reach.
PHOTOS_TEMPLATE = """\
{% extends "base.html.j2" %}
{% set keywords = [] %}
{% macro face(p) %}{% if p and p.photo %}
<p><img class="photo" src="assets/{{ p.photo }}" alt="{{ p.photo_alt }}"></p>
{% endif %}{% endmacro %}
{% block content %}
{% for case in cases %}<h2 id="c-{{ case.id }}">{{ case.title }}</h2>
{% for p in case.subjects %}<p>{{ p.name or 'withheld' }}</p>{{ face(p) }}{% endfor %}
{% endfor %}
{% for s in event.speakers %}<p>{{ s.person.name or 'withheld' }}</p>{{ face(s.person) }}{% endfor %}
{{ face(event.moderator) }}
{% endblock %}
"""


def write_photo_project(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "briefgen.yaml").write_text(SETTINGS, encoding="utf-8")
    (root / "content" / "items.yaml").write_text(CONTENT, encoding="utf-8")
    (root / "templates" / "photos.html.j2").write_text(PHOTOS_TEMPLATE, encoding="utf-8")
    photos = root / "assets" / "photos"
    photos.mkdir(parents=True)
    for ext, make in CAMERA_PHOTOS.items():
        (photos / f"open-face.{ext}").write_bytes(make())
    (photos / "secret-subject.jpg").write_bytes(camera_jpeg(size=SECRET_SUBJECT_SIZE))
    (photos / "secret-speaker.png").write_bytes(camera_png(size=SECRET_SPEAKER_SIZE))
    (root / "assets" / "ngo-logo.jpg").write_bytes(camera_jpeg())
    return root


@pytest.fixture(scope="module")
def photo_build(tmp_path_factory) -> Path:
    project = write_photo_project(tmp_path_factory.mktemp("photos") / "project")
    out = project / "output"
    result = run_cli(
        "build", str(project), "-o", str(out), "--jobs", "2", env={"SOURCE_DATE_EPOCH": "1600000000"}
    )
    assert result.returncode == 0, result.stderr
    return out


def outputs(out: Path, fmt: str, audience: str | None = None) -> list[Path]:
    found = sorted(p for p in out.rglob(f"*.{fmt}") if p.is_file() and "_files" not in p.parent.name)
    return [p for p in found if audience is None or f".{audience}." in p.name]


# ---------------------------------------------------------------- the images in an output


def pdf_images(path: Path) -> list[tuple[tuple[int, int], bytes | None]]:
    """(pixel size, the embedded file's bytes when it is one: a JPEG) of every image."""
    import pikepdf

    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                size = (int(obj.Width), int(obj.Height))
                raw = obj.read_raw_bytes() if str(obj.get("/Filter")) == "/DCTDecode" else None
                found.append((size, raw))
    return found


def docx_images(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.startswith("word/media/")}


def html_images(path: Path) -> dict[str, bytes]:
    folder = path.with_name(path.stem + "_files")
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def image_sizes(path: Path, fmt: str) -> list[tuple[int, int]]:
    if fmt == "pdf":
        return [size for size, _raw in pdf_images(path) if size != (1, 1)]
    files = docx_images(path) if fmt == "docx" else html_images(path)
    return [size_of(data) for name, data in files.items() if not name.endswith((".ttf", ".otf", ".woff2"))]


def image_files(path: Path, fmt: str) -> dict[str, bytes]:
    """Every image of an output that is a file of its own (PDF: the JPEGs)."""
    if fmt == "pdf":
        return {f"jpeg{i}.jpg": raw for i, (_size, raw) in enumerate(pdf_images(path)) if raw}
    files = docx_images(path) if fmt == "docx" else html_images(path)
    return {name: data for name, data in files.items() if not name.endswith((".ttf", ".otf", ".woff2"))}


# ---------------------------------------------------------------- no metadata, pixels kept


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_no_camera_marker_reaches_any_output(photo_build, fmt):
    paths = outputs(photo_build, fmt)
    assert len(paths) == 4
    for path in paths:
        texts = [raw_strings(path, fmt), path.read_bytes().decode("latin-1")]
        texts += [metadata_text(data) + data.decode("latin-1") for data in image_files(path, fmt).values()]
        if fmt == "docx":
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(n).decode("latin-1") for n in archive.namelist()]
        everything = "\n".join(texts)
        leaked = [name for name, marker in MARKERS.items() if marker in everything]
        assert leaked == [], (path.name, leaked)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_images_keep_their_pixel_size(photo_build, fmt):
    # The trusted dossier shows the logo, the four open photos and the witness's photo.
    (dossier,) = [p for p in outputs(photo_build, fmt, "trusted") if p.name.startswith("photo-dossier")]
    sizes = sorted(image_sizes(dossier, fmt))
    if fmt == "pdf":  # one XObject per use: the logo and each photo
        assert sizes.count(SIZE) >= 5 and SECRET_SUBJECT_SIZE in sizes, sizes
    else:  # one file per distinct image: the four open photos share their pixels
        assert SIZE in sizes and SECRET_SUBJECT_SIZE in sizes, sizes
        assert all(size in (SIZE, SECRET_SUBJECT_SIZE) for size in sizes), sizes


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_image_files_have_neutral_names(photo_build, fmt):
    for path in outputs(photo_build, fmt):
        names = " ".join(image_files(path, fmt))
        text = raw_strings(path, fmt) if fmt == "docx" else path.read_text(encoding="utf-8")
        for source in SOURCE_NAMES:
            assert source not in names and source not in text, (path.name, source)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
def test_exiftool_finds_nothing_but_pixels_in_every_embedded_image(photo_build, tmp_path):
    checked = 0
    for fmt in ("pdf", "docx", "html"):
        for path in outputs(photo_build, fmt):
            for index, data in enumerate(image_files(path, fmt).values()):
                target = tmp_path / f"{path.stem}-{fmt}-{index}"
                target.write_bytes(data)
                groups = tag_groups(target)
                assert groups <= PIXELS_ONLY, (path.name, groups - PIXELS_ONLY)
                checked += 1
    assert checked >= 8


@pytest.mark.slow
def test_builds_with_photos_are_byte_identical(photo_build, tmp_path):
    project = write_photo_project(tmp_path / "again")
    result = run_cli(
        "build", str(project), "-o", str(tmp_path / "out"), env={"SOURCE_DATE_EPOCH": "1600000000"}
    )
    assert result.returncode == 0, result.stderr
    for fmt in ("pdf", "docx", "html"):
        for first in outputs(photo_build, fmt):
            second = tmp_path / "out" / first.relative_to(photo_build)
            assert first.read_bytes() == second.read_bytes(), first.name
            if fmt == "html":
                assert html_images(first) == html_images(second)


# ---------------------------------------------------------------- pseudonyms and faces


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_no_image_of_a_pseudonymous_person_in_any_public_output(photo_build, fmt):
    public = outputs(photo_build, fmt, "public-readers")
    assert {p.name.split(".")[0] for p in public} == {"photo-dossier", "photo-all"}
    for path in public:
        sizes = image_sizes(path, fmt)
        assert SIZE in sizes, (path.name, sizes)  # the open people's photos are there
        assert SECRET_SUBJECT_SIZE not in sizes and SECRET_SPEAKER_SIZE not in sizes, (path.name, sizes)
    # The positive control: the trusted copy of the template that asks for every photo has both.
    (trusted,) = [p for p in outputs(photo_build, fmt, "trusted") if p.name.startswith("photo-all")]
    sizes = image_sizes(trusted, fmt)
    assert SECRET_SUBJECT_SIZE in sizes and SECRET_SPEAKER_SIZE in sizes, sizes


@pytest.mark.slow
def test_pseudonyms_stand_where_the_withheld_are(photo_build):
    from conftest import pdf_text

    (public,) = [p for p in outputs(photo_build, "pdf", "public-readers") if p.name.startswith("photo-all")]
    text = pdf_text(public)
    assert "Witness A" in text and "Witness B" in text
    assert "Hidden" not in text


@pytest.mark.parametrize("copy", [False, True], ids=["by-its-name", "a-copy-under-another-name"])
def test_template_naming_a_withheld_photo_fails_and_publishes_nothing(tmp_path, copy):
    face = camera_jpeg()
    files = {"assets/face.jpg": face}
    if copy:
        files["assets/decoy/holiday.jpg"] = face
    shown = "decoy/holiday.jpg" if copy else "face.jpg"
    project = make_project(
        tmp_path / "p",
        person_extra="sensitivity: confidential\npseudonym: Witness\nphoto: face.jpg\nphoto_alt: A face",
        template="brief",
        templates={"brief.html.j2": body_template(f'<p><img src="assets/{shown}" alt="x"></p>')},
        files=files,
        formats=("pdf", "docx", "html"),
    )
    result = run_cli("build", str(project))
    assert_clean_failure(result, f"assets/{shown}", "people.test-subject.photo", "pseudonym")
    assert not (project / "output").exists() or not any((project / "output").rglob("*.*"))


# ---------------------------------------------------------------- hostile images


def _svg(body: str) -> bytes:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        + body
        + "</svg>"
    ).encode()


HOSTILE = {
    "png-named-jpg": ("photo.jpg", camera_png, "is a PNG image, but its name says JPEG", "an image must"),
    "truncated-jpeg": (
        "photo.jpg",
        lambda: camera_jpeg(size=(400, 300))[:-2000],
        "truncated or damaged",
        "export it again",
    ),
    "svg-script": (
        "photo.svg",
        lambda: _svg("<script>alert(1)</script>"),
        "<script> element",
        "export it as PNG",
    ),
    "svg-external": (
        "photo.svg",
        lambda: _svg('<image xlink:href="file:///etc/passwd" width="9" height="9"/>'),
        "refers to 'file:///etc/passwd'",
        "export it as PNG",
    ),
    "bomb": ("photo.png", lambda: bomb_png(9000, 9000), "decompression bomb", "scale it down"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_image_is_an_error_at_its_content_line(tmp_path, case):
    name, make, reason, hint = HOSTILE[case]
    project = make_project(
        tmp_path / "p",
        person_extra=f"photo: {name}\nphoto_alt: A photo",
        files={f"assets/{name}": make()},
        template="case-dossier",
        formats=("pdf", "docx", "html"),
    )
    lines = (project / "content" / "items.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.strip().startswith("photo:"))
    column = lines[line - 1].index(name) + 1
    for command in ("validate", "build"):
        result = run_cli(command, str(project))
        assert_clean_failure(
            result,
            f"content/items.yaml:{line}:{column}: assets/{name}: ",
            reason,
            f"(hint: {hint}",
            forbidden=(str(tmp_path),),
        )
    assert not (project / "output").exists()


def test_an_image_a_template_names_is_checked_the_same_way(tmp_path):
    # Not named by content: the error is the template's, with the image's name.
    project = make_project(
        tmp_path / "p",
        template="brief",
        templates={"brief.html.j2": body_template('<p><img src="assets/logo.jpg" alt="x"></p>')},
        files={"assets/logo.jpg": camera_png()},
    )
    result = run_cli("build", str(project))
    assert_clean_failure(result, "assets/logo.jpg: the file is a PNG image, but its name says JPEG")
    assert not (project / "output").exists() or not any((project / "output").rglob("*.pdf"))
