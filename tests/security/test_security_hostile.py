"""Hostile input: content and templates come from partners and are untrusted. Each case
asserts the safe behaviour through the CLI: the exit status, a message naming the problem,
nothing read or fetched that should not be, and never a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import words
from security_support import (
    BODY_LINE,
    BRIEFGEN,
    Listener,
    assert_clean_failure,
    body_template,
    bomb_png,
    built_canaries,
    make_project,
    manifest_consistent,
    readings,
    run_cli,
    snapshot,
    temporaries,
    tiny_png,
)

PDF = "hostile-brief/hostile-brief.public.en.pdf"


def build(project: Path, *args: str, env: dict | None = None, timeout: float = 300):
    return run_cli(
        "build", str(project), "-o", str(project / "output"), "--jobs", "1", *args, env=env, timeout=timeout
    )


# ---------------------------------------------------------------- YAML


def test_python_object_tag_is_rejected_not_run(tmp_path):
    marker = tmp_path / "pwned"
    project = make_project(tmp_path / "p", summary=f'!!python/object/apply:os.system ["touch {marker}"]')
    result = build(project)
    assert_clean_failure(result, "content/items.yaml:", "!!python/object/apply")
    assert not marker.exists()
    assert not (project / "output" / "manifest.json").exists()


def test_python_tag_in_settings_is_rejected(tmp_path):
    marker = tmp_path / "pwned"
    project = make_project(tmp_path / "p")
    settings = project / "briefgen.yaml"
    settings.write_text(
        settings.read_text().replace(
            "name: Hostile fixture", f'name: !!python/object/apply:os.system ["touch {marker}"]'
        )
    )
    result = build(project)
    assert_clean_failure(result, "briefgen.yaml:", "!!python/object/apply")
    assert not marker.exists()


BOMB = """\
people:
  - id: bomb
    name: Bomb
    tags: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
    affiliations: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    bio: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    pseudonym: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    photo: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    photo_alt: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    sensitivity: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
    x: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
    y: [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def test_alias_bomb_is_rejected_quickly(tmp_path):
    project = make_project(tmp_path / "p", files={"content/bomb.yaml": BOMB})
    started = time.monotonic()
    result = build(project, timeout=120)
    assert_clean_failure(result, "content/bomb.yaml:", "alias")
    assert time.monotonic() - started < 60


def test_alias_bomb_in_settings_vars_is_rejected(tmp_path):
    project = make_project(tmp_path / "p")
    settings = project / "briefgen.yaml"
    bomb = BOMB.split("tags: ", 1)[1].replace("\n    ", "\n      ")
    settings.write_text(
        settings.read_text()
        + "audiences:\n  - id: public\n    vars:\n      a: "
        + bomb.replace("affiliations:", "b:")
        .replace("bio:", "c:")
        .replace("pseudonym:", "d:")
        .replace("photo:", "e:")
        .replace("photo_alt:", "f:")
        .replace("sensitivity:", "g:")
    )
    result = build(project, timeout=120)
    assert_clean_failure(result, "briefgen.yaml:")
    assert "alias" in result.stderr or "anchor" in result.stderr


def test_duplicate_keys_are_rejected(tmp_path):
    project = make_project(tmp_path / "p", person_extra="name: Second Name")
    result = build(project)
    assert_clean_failure(result, "content/items.yaml:", "duplicate key 'name'")


# ---------------------------------------------------------------- raw HTML in markdown

HOSTILE_MARKDOWN = (
    '<img src="file:///etc/passwd"> <img src="{url}/img.png"> '
    '<link rel="attachment" href="file:///etc/passwd"> <link rel="attachment" href="briefgen.yaml"> '
    "<style>@import url({url}/evil.css); @import url(http://169.254.169.254/latest/meta-data/);</style> "
    "![tracker]({url}/pixel.png) [a local file](file:///etc/passwd)"
)


def test_raw_html_in_markdown_is_escaped_and_nothing_is_fetched(tmp_path):
    with Listener() as server:
        summary = HOSTILE_MARKDOWN.format(url=server.url)
        project = make_project(
            tmp_path / "p", summary="'" + summary.replace("'", "''") + "'", formats=("pdf", "docx", "html")
        )
        result = build(project)
        assert result.returncode == 0, result.stderr
        assert server.requests == []
    out = project / "output" / "hostile-brief"
    import pikepdf

    pdf_path = out / "hostile-brief.public.en.pdf"
    with pikepdf.open(pdf_path) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        assert "/AF" not in pdf.Root
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                assert annot.get("/Subtype") != "/FileAttachment"
            for name, xobject in page.Resources.get("/XObject", {}).items():
                assert xobject.get("/Subtype") != "/Image", name
    for fmt in ("pdf", "docx", "html"):
        path = out / f"hostile-brief.public.en.{fmt}"
        texts = readings(path, fmt)
        for text in texts.values():
            assert words("root:x:0:0") not in text  # no /etc/passwd content
            assert words("name: Hostile fixture") not in text  # no project file attached
        # The markup is shown as the text the author wrote.
        assert words('<img src="file:///etc/passwd">') in texts["layout"], fmt
        assert words("169.254.169.254") in texts["layout"], fmt
    html = (out / "hostile-brief.public.en.html").read_text()
    assert "&lt;img src=" in html and '<img src="file' not in html
    body = html.split("<body", 1)[1]
    assert "<link" not in body and "<style" not in body and "<img" not in body


# ---------------------------------------------------------------- resources from templates


def test_remote_image_in_template_is_refused_and_not_fetched(tmp_path):
    with Listener() as server:
        template = body_template(f'<p><img src="{server.url}/x.png" alt="x"></p>')
        project = make_project(tmp_path / "p", template="brief", templates={"brief.html.j2": template})
        result = build(project)
        assert server.requests == []
    assert_clean_failure(result, "remote resources are not fetched")
    assert not (project / "output" / PDF).exists()


def test_css_import_in_template_is_refused_and_not_fetched(tmp_path):
    with Listener() as server:
        template = body_template(f"<style>@import url({server.url}/evil.css);</style><p>Hello</p>")
        project = make_project(tmp_path / "p", template="brief", templates={"brief.html.j2": template})
        result = build(project)
        assert server.requests == []
    assert_clean_failure(result, "remote resources are not fetched")


@pytest.mark.parametrize("href", ["assets/photo.png", "file:///etc/passwd"])
def test_attachment_in_template_is_refused(tmp_path, href):
    template = body_template(
        f'<link rel="attachment" href="{href}"><p>Hello <a rel="attachment" href="{href}">x</a></p>'
    )
    project = make_project(
        tmp_path / "p",
        template="brief",
        templates={"brief.html.j2": template},
        files={"assets/photo.png": tiny_png()},
    )
    result = build(project)
    assert_clean_failure(result, "attachments", forbidden=(str(tmp_path),))
    assert not (project / "output" / PDF).exists()


@pytest.mark.parametrize(
    "src",
    [
        "file:///etc/passwd",
        "../../../../../../etc/passwd",
        "assets/../briefgen.yaml",
        "assets/../../outside.png",
        "assets/link.png",
        "assets/inside-link.png",
    ],
)
def test_template_cannot_read_outside_assets(tmp_path, src):
    outside = tmp_path / "outside.png"
    outside.write_bytes(tiny_png())
    template = body_template(f'<figure><img src="{src}" alt="x"><figcaption>x</figcaption></figure>')
    project = make_project(
        tmp_path / "p", template="brief", templates={"brief.html.j2": template}, formats=("pdf", "docx")
    )
    (project / "assets" / "link.png").symlink_to(outside)
    (project / "assets" / "inside-link.png").symlink_to(project / "briefgen.yaml")
    result = build(project)
    assert_clean_failure(result, forbidden=(str(tmp_path), str(project.resolve())))
    assert (
        "only files under assets/" in result.stderr
        or "leaves assets/" in result.stderr
        or ("not a readable" in result.stderr)
    )
    assert not (project / "output" / PDF).exists()


@pytest.mark.parametrize(
    "markup",
    [
        '<style>body { background: url("file:///etc/passwd") }</style>',
        '<style>@font-face { font-family: X; src: url("../../../../etc/passwd") } p { font-family: X }'
        "</style>",
        '<p style="background-image: url(assets/../briefgen.yaml)">x</p>',
        '<figure><img src="assets/missing.png" alt="x"><figcaption>x</figcaption></figure>',
        '<figure><img src="assets/evil.svg" alt="x"><figcaption>x</figcaption></figure>',
        '<object data="file:///etc/passwd"></object>',
        '<iframe src="file:///etc/passwd"></iframe><embed src="assets/evil.svg">',
    ],
    ids=["css-background", "font-face", "style-attribute", "missing", "svg", "object", "iframe-embed"],
)
def test_stylesheet_and_embedded_resources_are_sandboxed(tmp_path, markup):
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
    project = make_project(
        tmp_path / "p", template="brief", templates={"brief.html.j2": body_template(markup)},
        files={"assets/evil.svg": svg},
    )  # fmt: skip
    result = build(project)
    assert "Traceback" not in result.stderr, result.stderr
    assert str(tmp_path) not in result.stderr
    if result.returncode == 0:  # ignored by both writers: then nothing may have been read
        for text in readings(project / "output" / PDF, "pdf").values():
            assert words("root:x:0:0") not in text and words("Hostile fixture") not in text
    else:
        assert_clean_failure(result, "hostile-brief.public.en")


def test_template_link_out_of_the_project_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-OUTSIDE-TEMPLATE-q1w2")
    template = body_template('<p>{% include "x.html.j2" %}</p>')
    project = make_project(tmp_path / "p", template="brief", templates={"brief.html.j2": template})
    (project / "templates" / "x.html.j2").symlink_to(secret)
    result = build(project)
    assert_clean_failure(result, "x.html.j2", "link", forbidden=("SECRET-OUTSIDE", str(tmp_path)))
    assert not (project / "output" / PDF).exists()


def test_audience_template_folder_linked_out_of_the_project_is_refused(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "policy-brief.html.j2").write_text("SECRET-OUTSIDE-TEMPLATE-q1w2")
    project = make_project(tmp_path / "p")
    (project / "templates").mkdir()
    (project / "templates" / "public").symlink_to(outside)  # the implicit audience's folder
    result = build(project)
    assert_clean_failure(result, "link", forbidden=("SECRET-OUTSIDE", str(tmp_path)))


@pytest.mark.parametrize("theme", ["../../outside-theme", "linked-theme"])
def test_theme_outside_the_project_is_refused(tmp_path, theme):
    outside = tmp_path / "outside-theme"
    outside.mkdir()
    (outside / "theme.yaml").write_text("name: outside\n")
    project = make_project(tmp_path / "p")
    (project / "templates").mkdir()
    (project / "templates" / "linked-theme").symlink_to(outside)
    settings = project / "briefgen.yaml"
    settings.write_text(settings.read_text().replace("language: en", f"language: en\ntheme: {theme}"))
    result = build(project)
    assert_clean_failure(result, "theme", forbidden=(str(tmp_path),))
    assert_clean_failure(run_cli("validate", str(project)), "theme")  # validate says so too


@pytest.mark.parametrize("target", ["/etc/passwd", "outside"])
def test_symlinked_photo_out_of_assets_is_refused(tmp_path, target):
    outside = tmp_path / "outside.png"
    outside.write_bytes(tiny_png())
    project = make_project(tmp_path / "p", person_extra="photo: link.png\nphoto_alt: A photo")
    (project / "assets" / "link.png").symlink_to(outside if target == "outside" else Path(target))
    result = build(project)
    assert_clean_failure(result, "link.png", forbidden=(str(tmp_path),))
    assert "link" in result.stderr and "assets/" in result.stderr


@pytest.mark.parametrize(
    "photo", ["../briefgen.yaml", "../../outside.png", "/etc/passwd", "photos/../../x.png"]
)
def test_asset_path_leaving_assets_is_refused(tmp_path, photo):
    project = make_project(tmp_path / "p", person_extra=f"photo: {photo}\nphoto_alt: A photo")
    result = build(project)
    assert_clean_failure(result, "content/items.yaml:", forbidden=(str(tmp_path),))
    assert "assets" in result.stderr


def test_image_that_is_not_an_image_fails(tmp_path):
    project = make_project(
        tmp_path / "p",
        person_extra="photo: photo.png\nphoto_alt: A photo",
        files={"assets/photo.png": "root:x:0:0:root:/root:/bin/bash\n"},
        template="case-dossier",
        formats=("pdf", "docx"),
    )
    result = build(project)
    assert_clean_failure(result, "photo.png", "not a readable PNG", forbidden=(str(tmp_path),))


@pytest.mark.parametrize(
    "size,formats",
    [(30000, ("pdf", "docx")), (30000, ("docx",)), (7000, ("pdf",))],
    ids=["900Mpx", "900Mpx-docx", "49Mpx"],
)
def test_decompression_bomb_image_fails_quickly(tmp_path, size, formats):
    bomb = bomb_png(size, size)
    assert len(bomb) < 1_000_000
    project = make_project(
        tmp_path / "p",
        person_extra="photo: bomb.png\nphoto_alt: A photo",
        files={"assets/bomb.png": bomb},
        template="case-dossier",
        formats=formats,
    )
    started = time.monotonic()
    result = build(project, env={"BRIEFGEN_RENDER_MEMORY_MB": "1500"})
    assert_clean_failure(result, "assets/bomb.png", "decompression bomb", forbidden=(str(tmp_path),))
    assert f"{size * size:,} pixels" in result.stderr or f"{size}x{size}" in result.stderr
    assert time.monotonic() - started < 60


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cases|attr('__class__') }}",
        "{{ '{0.__class__}'.format(brief) }}",
        "{{ lipsum.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ brief.__dict__ }}",
        "{% set x = cases.append(1) %}",
        "{{ self._TemplateReference__context }}",
    ],
)
def test_template_sandbox_escape_is_an_error_with_file_and_line(tmp_path, expression):
    template = body_template(f"<p>Hello</p>\n{expression}\n")
    project = make_project(tmp_path / "p", template="brief", templates={"brief.html.j2": template})
    result = build(project)
    assert_clean_failure(result, f"templates/brief.html.j2:{BODY_LINE + 1}:", "template error")
    assert "uid=" not in result.stderr
    assert not (project / "output" / PDF).exists()


def test_misspelt_template_variable_names_file_and_line(tmp_path):
    template = body_template("<p>Hello</p>\n<p>{{ brief.titel }}</p>\n")
    project = make_project(tmp_path / "p", template="brief", templates={"brief.html.j2": template})
    result = build(project)
    assert_clean_failure(result, f"templates/brief.html.j2:{BODY_LINE + 1}:", "titel")


def test_override_extending_its_own_name_is_an_error_not_a_crash(tmp_path):
    template = '{% extends "policy-brief.html.j2" %}\n'
    project = make_project(tmp_path / "p", templates={"policy-brief.html.j2": template})
    result = build(project)
    assert_clean_failure(result, "policy-brief.html.j2", "builtin/")


LIMITS = {"BRIEFGEN_RENDER_TIMEOUT": "8", "BRIEFGEN_RENDER_MEMORY_MB": "1200"}


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        "{{ 'x' * 10**9 }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}<p>x</p>{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}<p>{{ 'word ' * 2000 }}</p>{% endfor %}",
    ],
    ids=["string", "loops", "pages"],
)
def test_gigantic_output_ends_in_a_clear_error_within_the_limit(tmp_path, body):
    template = body_template(body)
    project = make_project(tmp_path / "p", template="brief", templates={"brief.html.j2": template})
    started = time.monotonic()
    result = build(project, env=LIMITS, timeout=240)
    elapsed = time.monotonic() - started
    assert_clean_failure(result, "hostile-brief.public.en")
    assert "longer than 8 s" in result.stderr or "more than 1200 MiB" in result.stderr, result.stderr
    assert elapsed < 120, elapsed
    assert not (project / "output" / PDF).exists()


@pytest.mark.slow
@pytest.mark.parametrize("size", ["1e6cm", "1e9cm 1e9cm", "0.001px"])
def test_absurd_page_size_is_bounded(tmp_path, size):
    template = body_template(f"<style>@page {{ size: {size}; }}</style><p>Hello</p>")
    project = make_project(tmp_path / "p", template="brief", templates={"brief.html.j2": template})
    started = time.monotonic()
    result = build(project, env=LIMITS, timeout=240)
    assert time.monotonic() - started < 120
    assert "Traceback" not in result.stderr, result.stderr
    if result.returncode == 0:
        import pikepdf

        with pikepdf.open(project / "output" / PDF) as pdf:
            assert len(pdf.pages) < 1000
            for page in pdf.pages:
                box = [float(v) for v in page.MediaBox]
                assert 0 < box[2] - box[0] <= 14400 and 0 < box[3] - box[1] <= 14400, box
    else:
        assert_clean_failure(result, "hostile-brief.public.en")


# ---------------------------------------------------------------- outputs


def test_an_id_cannot_place_a_file_outside_the_output_folder(tmp_path):
    project = make_project(tmp_path / "p")
    settings = project / "briefgen.yaml"
    settings.write_text(settings.read_text().replace("id: hostile-brief", "id: ../../escaped"))
    result = build(project)
    assert_clean_failure(result, "briefgen.yaml:")
    assert not list(tmp_path.rglob("escaped*"))


@pytest.mark.slow
def test_killed_build_leaves_previous_outputs_intact(tmp_path):
    project, out, before = built_canaries(tmp_path)

    # A second build that rewrites everything; killed (with its workers) mid-write.
    process = subprocess.Popen(
        [*BRIEFGEN, "build", str(project), "-o", str(out), "--jobs", "2", "--force"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not temporaries(out) and process.poll() is None:
        time.sleep(0.01)
    saw_temporary = bool(temporaries(out))
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert saw_temporary, "the build ended before it wrote anything; nothing was tested"

    after = snapshot(out)
    published = {k: v for k, v in after.items() if ".briefgen-tmp-" not in k}
    # HTML resource folders are published with their file, so nothing at all changed.
    assert published == before
    manifest_consistent(out)

    again = run_cli("build", str(project), "-o", str(out), "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert not temporaries(out)
    manifest_consistent(out)
    assert snapshot(out) == before


def test_traceback_is_never_shown_for_a_broken_project(tmp_path):
    """A sanity check of the helper: a plainly broken file is a clean exit 1."""
    project = make_project(tmp_path / "p", summary="[unclosed")
    result = build(project)
    assert_clean_failure(result, "content/items.yaml:")


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX signals and symlinks")
