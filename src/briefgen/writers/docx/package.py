"""Package hygiene: metadata only from the document head, no template leftovers, and a
reproducible zip (fixed entry order, dates and permissions), so two writes of the same
document are byte-identical.

python-docx starts every document from its own default template, which brings a
thumbnail, customXml parts, stylesWithEffects, webSettings, Word 2010 app.xml boilerplate
("Microsoft Macintosh Word", "Normal.dotm") and core properties naming python-docx. These
functions remove or rewrite all of them.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsmap
from docx.oxml.parser import parse_xml
from lxml import etree

from .oxml import strip_rsids

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
ZIP_MODE = 0o100644
FIRST_ENTRIES = (
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/document.xml",
    "word/_rels/document.xml.rels",
)
# Parts of python-docx's default template a finished brief must not carry.
LEFTOVER_RELS = {
    RT.CUSTOM_XML,
    RT.WEB_SETTINGS,
    RT.THUMBNAIL,
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
}
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
)


def drop_leftovers(package) -> None:
    """Remove the default template's thumbnail, customXml, stylesWithEffects, webSettings."""
    sources = [package, *package.iter_parts()]
    for source in sources:
        rels = source.rels
        for rid in [rid for rid, rel in rels.items() if rel.reltype in LEFTOVER_RELS]:
            rels.pop(rid)
            rels.related_parts.pop(rid, None)


def w3cdtf(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def core_properties(
    *, title: str, subject: str, creator: str, keywords: str, language: str, timestamp: datetime
) -> etree._Element:
    """docProps/core.xml holding only what the document head says, dated `timestamp`."""
    ns = {p: nsmap[p] for p in ("cp", "dc", "dcterms", "xsi")}
    el = parse_xml(
        f'<cp:coreProperties xmlns:cp="{ns["cp"]}" xmlns:dc="{ns["dc"]}" '
        f'xmlns:dcterms="{ns["dcterms"]}" xmlns:xsi="{ns["xsi"]}"/>'
    )
    for tag, value in (
        ("dc:title", title),
        ("dc:subject", subject),
        ("dc:creator", creator),
        ("cp:keywords", keywords),
        ("dc:language", language),
    ):
        if value:
            prefix, local = tag.split(":")
            etree.SubElement(el, f"{{{ns[prefix]}}}{local}").text = value
    stamp = w3cdtf(timestamp)
    for local in ("created", "modified"):
        child = etree.SubElement(el, f"{{{ns['dcterms']}}}{local}")
        child.set(f"{{{ns['xsi']}}}type", "dcterms:W3CDTF")
        child.text = stamp
    return el


def set_metadata(package, core: etree._Element) -> None:
    package.part_related_by(RT.CORE_PROPERTIES)._element = core
    package.part_related_by(RT.EXTENDED_PROPERTIES)._blob = APP_XML


def strip_all_rsids(package, built: Iterable[etree._Element] = ()) -> None:
    """Remove revision-session ids from every part's XML but the `built` ones.

    `built`: parts this writer made element by element (the document body, the footnotes),
    which carry no rsid; only python-docx's template and a designer's reference.docx do.
    Skipping the body spares two passes over its tens of thousands of nodes."""
    skip = {id(element) for element in built}
    for part in package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None and id(element) not in skip:
            strip_rsids(element)


def save(package) -> bytes:
    """Serialise the package as a reproducible zip, each member compressed once."""
    return zip_members(members(package))


def members(package) -> dict[str, bytes]:
    """What python-docx's own writer puts in the zip (content types, relationships, every
    part's bytes), by member name, uncompressed: the same calls as `package.save`, into a
    dictionary rather than a zip that would be read back and compressed a second time."""
    from docx.opc.pkgwriter import PackageWriter

    collected = _Members()
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()  # as OpcPackage.save does first
    PackageWriter._write_content_types_stream(collected, parts)
    PackageWriter._write_pkg_rels(collected, package.rels)
    PackageWriter._write_parts(collected, parts)
    return collected.entries


class _Members:
    """Stands in for python-docx's zip writer: keeps each member's bytes."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def reproducible_zip(data: bytes) -> bytes:
    """A zip's members again, in a fixed order with fixed dates and permissions."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return zip_members({name: src.read(name) for name in src.namelist()})


def zip_members(entries: dict[str, bytes]) -> bytes:
    """The members in a fixed order (FIRST_ENTRIES, then by name), dated ZIP_DATE, mode
    ZIP_MODE, deflated at level 6 (zlib's default, what Word itself uses)."""
    order = [n for n in FIRST_ENTRIES if n in entries] + sorted(n for n in entries if n not in FIRST_ENTRIES)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = ZIP_MODE << 16
            zf.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
