"""PDF serialisation: WeasyPrint's pydyf.PDF (objects) -> the file's bytes, each object once.

pydyf writes a file identifier (/ID) as the MD5 of every object's serialised bytes, and it
computes those bytes again for it: every page's content stream and every font is compressed
twice (zlib level 9), the object stream of a tagged PDF's thousands of structure elements
too. For a 60-page tagged dossier that second pass cost as much as the first (about 0.5 s).

`write` does what pydyf's `PDF.write` does for the files briefgen makes (PDF 1.5 or later,
compressed, an object stream and a cross-reference stream), but keeps each object's bytes
from the first pass for the identifier, and compresses streams at zlib's default level (6)
rather than pydyf's 9: on that dossier's 5 MB of streams level 9 took 0.26 s and level 6
0.07 s, for a file 6 % larger. At `level=9` its bytes are pydyf's, byte for byte
(tests/writers/test_pdf_serialise.py compares them on a real document). Any other case (an
uncompressed PDF, an older version, a pydyf whose writer this was not checked against) is
left to pydyf.
"""

from __future__ import annotations

import zlib
from math import ceil, log

# The pydyf release whose PDF.write this module reproduces; any other is left to pydyf.
PYDYF_VERSION = "0.13.0"
LEVEL = 6  # zlib's default: see the module docstring


def write(pdf, output, version=b"1.7", identifier=False, compress=False, level: int = LEVEL) -> None:
    """pydyf.PDF.write(pdf, output, version, identifier, compress), each object serialised
    once, streams compressed at `level`."""
    import pydyf

    version = pydyf._to_bytes(version or b"1.7")
    if pydyf.__version__ != PYDYF_VERSION or not (version >= b"1.5" and compress):
        pydyf.PDF.write(pdf, output, version, identifier, compress)
        return
    if identifier not in (False, True, None):
        identifier = pydyf._to_bytes(identifier)
    if pdf.info:
        pdf.add_object(pdf.info)
    serialised: dict[int, bytes] = {}  # object number -> its bytes, for the identifier

    def data(object_) -> bytes:
        found = serialised.get(object_.number)
        if found is None:
            found = stream_data(object_, level) if isinstance(object_, pydyf.Stream) else object_.data
            serialised[object_.number] = found
        return found

    def indirect(object_) -> bytes:
        # pydyf's Object.indirect, with the bytes kept.
        return f"{object_.number} {object_.generation} obj\n".encode() + data(object_) + b"\nendobj"

    pdf.write_line(b"%PDF-" + version, output)
    pdf.write_line(b"%\xf0\x9f\x96\xa4", output)

    compressed_objects = []
    for object_ in pdf.objects:
        if object_.free == "f":
            continue
        if object_.compressible:
            compressed_objects.append(object_)
        else:
            object_.offset = pdf.current_position
            pdf.write_line(indirect(object_), output)

    stream: list = [[]]
    position = 0
    for object_ in compressed_objects:
        bytes_ = data(object_)
        stream.append(bytes_)
        stream[0].append(object_.number)
        stream[0].append(position)
        position += len(bytes_) + 1
    stream[0] = " ".join(str(i) for i in stream[0])
    extra = {"Type": "/ObjStm", "N": len(compressed_objects), "First": len(stream[0]) + 1}
    object_stream = pydyf.Stream(stream, extra, compress)
    object_stream.offset = pdf.current_position
    pdf.add_object(object_stream)
    pdf.write_line(indirect(object_stream), output)

    xref = []
    dict_index = 0
    for object_ in pdf.objects:
        if object_.compressible:
            xref.append((2, object_stream.number, dict_index))
            dict_index += 1
        else:
            xref.append((bool(object_.number), object_.offset, object_.generation))
    xref.append((1, pdf.current_position, 0))

    field2_size = ceil(log(pdf.current_position + 1, 256))
    max_generation = max(object_.generation for object_ in pdf.objects)
    field3_size = ceil(log(max(max_generation, len(compressed_objects)) + 1, 256))
    xref_lengths = (1, field2_size, field3_size)
    xref_stream = b"".join(
        value.to_bytes(length, "big")
        for line in xref
        for length, value in zip(xref_lengths, line, strict=True)
    )
    extra = {
        "Type": "/XRef",
        "Index": pydyf.Array((0, len(pdf.objects) + 1)),
        "W": pydyf.Array(xref_lengths),
        "Size": len(pdf.objects) + 1,
        "Root": pdf.catalog.reference,
    }
    if pdf.info:
        extra["Info"] = pdf.info.reference
    if identifier:
        # The same digest as pydyf's, over the bytes already written (the free object
        # zero serialises to nothing it would hash: pydyf skips it too).
        digest = md5_of(data(object_) for object_ in pdf.objects if object_.free != "f")
        if identifier is True:
            identifier = digest
        extra["ID"] = pydyf.Array((pydyf.String(identifier).data, pydyf.String(digest).data))
    dict_stream = pydyf.Stream([xref_stream], extra, compress)
    pdf.xref_position = dict_stream.offset = pdf.current_position
    pdf.add_object(dict_stream)
    pdf.write_line(indirect(dict_stream), output)

    pdf.write_line(b"startxref", output)
    pdf.write_line(f"{pdf.xref_position}".encode(), output)
    pdf.write_line(b"%%EOF", output)


def stream_data(stream, level: int) -> bytes:
    """pydyf's Stream.data, compressed at `level` (pydyf: 9)."""
    import pydyf

    data = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    extra = pydyf.Dictionary(stream.extra.copy())
    if stream.compress:
        extra["Filter"] = "/FlateDecode"
        compressor = zlib.compressobj(level=level)
        data = compressor.compress(data) + compressor.flush()
    extra["Length"] = len(data)
    return b"\n".join((extra.data, b"stream", data, b"endstream"))


def md5_of(chunks) -> bytes:
    """The hex MD5 of the chunks joined, as pydyf writes it into /ID."""
    from hashlib import md5

    digest = md5()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest().encode()
