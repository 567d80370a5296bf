"""Camera-like test photos: pixels plus every kind of metadata a phone or camera writes.

Made with Pillow alone (no piexif): EXIF with the camera's make and model, its body serial
number, the owner's name, a GPS position with an area name, an embedded JPEG thumbnail (with
a comment of its own); XMP; IPTC; a JPEG comment or PNG text chunks. Every text is a unique
marker (MARKERS), so a test can look for each one in whatever a build wrote.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess

from PIL import Image
from PIL.ExifTags import GPS, IFD, Base

MARKERS = {
    "make": "Zorkiphone",
    "model": "Zorkimodel",
    "serial": "Serialnumber7734",
    "owner": "Ownername Quuxley",
    "artist": "Artistname Frobisher",
    "gps_area": "Safehouse Gardenstreet",
    "thumbnail": "Thumbcomment Wibblewobble",
    "xmp": "Xmpcreator Plonkington",
    "iptc": "Iptcbyline Snodgrass",
    "comment": "Jpegcomment Fiddlesticks",
    "text": "Pngtextchunk Kerfuffle",
}
GPS_LATITUDE = (40.0, 22.0, 33.5)  # a place, not a marker text: looked for by exiftool
SIZE = (64, 48)


def exif_bytes() -> bytes:
    """A full EXIF block (b"Exif\\0\\0" + TIFF) with IFD0, Exif, GPS and a thumbnail IFD1."""
    exif = Image.Exif()
    exif[Base.Make] = MARKERS["make"]
    exif[Base.Model] = MARKERS["model"]
    exif[Base.Artist] = MARKERS["artist"]
    exif[Base.Orientation] = 1
    sub = exif.get_ifd(IFD.Exif)
    sub[0xA431] = MARKERS["serial"]  # BodySerialNumber
    sub[0xA430] = MARKERS["owner"]  # CameraOwnerName
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = GPS_LATITUDE
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (49.0, 52.0, 1.25)
    gps[GPS.GPSAreaInformation] = b"ASCII\x00\x00\x00" + MARKERS["gps_area"].encode()
    return _with_thumbnail(exif.tobytes(), thumbnail_jpeg())


def thumbnail_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 12), (220, 30, 30)).save(out, "JPEG", comment=MARKERS["thumbnail"].encode())
    return out.getvalue()


def _with_thumbnail(block: bytes, thumbnail: bytes) -> bytes:
    """Append IFD1 (JPEGInterchangeFormat + length) and the thumbnail to Pillow's EXIF block,
    which has none: IFD0's next-IFD offset is patched to point at it."""
    prefix, tiff = block[:6], bytearray(block[6:])
    order = "<" if tiff[:2] == b"II" else ">"
    ifd0 = struct.unpack_from(order + "I", tiff, 4)[0]
    count = struct.unpack_from(order + "H", tiff, ifd0)[0]
    next_at = ifd0 + 2 + 12 * count
    ifd1 = len(tiff)
    struct.pack_into(order + "I", tiff, next_at, ifd1)
    thumb_at = ifd1 + 2 + 2 * 12 + 4
    tiff += struct.pack(order + "H", 2)
    tiff += struct.pack(order + "HHII", 0x0201, 4, 1, thumb_at)
    tiff += struct.pack(order + "HHII", 0x0202, 4, 1, len(thumbnail))
    tiff += struct.pack(order + "I", 0)
    tiff += thumbnail
    return prefix + bytes(tiff)


def xmp_packet() -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:creator><rdf:Seq><rdf:li>{MARKERS['xmp']}</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def iptc_records() -> bytes:
    """IPTC-IIM: 2:80 By-line and 2:120 Caption."""
    records = b""
    for dataset, text in ((80, MARKERS["iptc"]), (120, MARKERS["iptc"] + " caption")):
        value = text.encode()
        records += b"\x1c\x02" + bytes([dataset]) + struct.pack(">H", len(value)) + value
    return records


def _app13(iptc: bytes) -> bytes:
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc + (b"\x00" * (len(iptc) % 2))
    body = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def pixels(size=SIZE) -> Image.Image:
    """A gradient, so re-encoding keeps something recognisable."""
    image = Image.new("RGB", size)
    image.putdata([(x * 4 % 256, y * 5 % 256, 128) for y in range(size[1]) for x in range(size[0])])
    return image


def camera_jpeg(size=SIZE, orientation: int | None = None) -> bytes:
    exif = exif_bytes()
    if orientation is not None:
        parsed = Image.Exif()
        parsed.load(exif[6:])
        parsed[Base.Orientation] = orientation
        exif = parsed.tobytes()  # (loses the thumbnail; only orientation matters here)
    out = io.BytesIO()
    pixels(size).save(
        out, "JPEG", exif=exif, comment=MARKERS["comment"].encode(), xmp=xmp_packet(), quality=90
    )
    data = out.getvalue()
    at = 2  # IPTC after the APPn and comment segments, as cameras write it
    while data[at] == 0xFF and (0xE0 <= data[at + 1] <= 0xEF or data[at + 1] == 0xFE):
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return data[:at] + _app13(iptc_records()) + data[at:]


def camera_png(size=SIZE) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", MARKERS["text"])
    info.add_text("Author", MARKERS["artist"], zip=True)  # zTXt
    info.add_itxt("XML:com.adobe.xmp", xmp_packet().decode())
    info.add_itxt("Description", MARKERS["comment"], lang="en", tkey="Description")
    out = io.BytesIO()
    pixels(size).save(out, "PNG", pnginfo=info, exif=exif_bytes())
    return out.getvalue()


def camera_webp(size=SIZE) -> bytes:
    out = io.BytesIO()
    pixels(size).save(out, "WEBP", exif=exif_bytes(), xmp=xmp_packet(), lossless=True)
    return out.getvalue()


def camera_tiff(size=SIZE) -> bytes:
    from PIL.TiffImagePlugin import ImageFileDirectory_v2

    ifd = ImageFileDirectory_v2()
    ifd[270] = MARKERS["comment"]  # ImageDescription
    ifd[315] = MARKERS["artist"]  # Artist
    ifd[271] = MARKERS["make"]
    ifd[700] = xmp_packet()  # XMLPacket
    ifd.tagtype[700] = 1
    ifd[33723] = iptc_records()  # IPTC-NAA
    ifd.tagtype[33723] = 7
    out = io.BytesIO()
    pixels(size).save(out, "TIFF", tiffinfo=ifd, exif=exif_bytes())
    return out.getvalue()


CAMERA_PHOTOS = {
    "jpg": camera_jpeg,
    "png": camera_png,
    "webp": camera_webp,
    "tif": camera_tiff,
}


# What exiftool reports for an image that holds nothing but pixels: the file's own facts,
# the PNG header or the JPEG frame and JFIF header, and values it computes from them.
PIXELS_ONLY = {"File", "PNG", "JFIF", "Composite", "ExifTool", "System"}


def tag_groups(path) -> set[str]:
    """exiftool's -G1 groups of every tag in the file (EXIF's IFD0, GPS, XMP-dc, IPTC ...)."""
    result = subprocess.run(
        ["exiftool", "-j", "-a", "-G1", "-u", str(path)], capture_output=True, text=True, check=True
    )
    (tags,) = json.loads(result.stdout)
    return {key.split(":")[0] for key in tags if ":" in key}
