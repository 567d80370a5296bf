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


def strip_all_rsids(package) -> None:
    for part in package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            strip_rsids(element)


def save(package) -> bytes:
    """Serialise the package, then re-zip it deterministically."""
    raw = io.BytesIO()
    package.save(raw)
    return reproducible_zip(raw.getvalue())


def reproducible_zip(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = {name: src.read(name) for name in src.namelist()}
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
