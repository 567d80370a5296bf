"""Pictures -> w:drawing: images inline or as blocks (logos, figures, signatures), each read
through the resource sandbox, cleaned, and sized as the print CSS sizes it."""

from __future__ import annotations

import hashlib
import io

from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.shape import CT_Inline
from lxml import etree

from .oxml import EMU_PER_MM, EMU_PER_PX, EMU_PER_TWIP, collapse
from .walkstate import PLAIN, Ctx, InlineState, Para

PHOTO_WIDTH_MM = 28  # `.card img.photo { width: 28mm }`
SIGNATURE_HEIGHT_MM = 14


class Pictures:
    """Pictures (a mixin of HtmlWalker)."""

    def block_picture(self, el: etree._Element, ctx: Ctx) -> None:
        classes = set((el.get("class") or "").split())
        if "letter-logo" in classes:
            style = "Letterhead Logo"
        elif "signature" in classes:
            style = "Signature"
        elif ctx.in_cover:  # as `.cover img.logo`: the cover's pictures, and only they
            style = "Cover Logo"
        elif "photo" in classes and ctx.in_card:  # as `.card img.photo`; elsewhere a figure
            style = "Card Photo"
        else:
            style = "Figure"
        para = Para(self, ctx, self.sid(style))
        self.picture(el, para)
        para.finish()

    def picture(self, el: etree._Element, para: Para, state: InlineState = PLAIN) -> None:
        """Add an inline picture for <img> to `para` (its alt text if Word cannot show it)."""
        src = (el.get("src") or "").strip()
        alt = collapse(el.get("alt") or "")
        if not src:
            self.warn_once(f"img-nosrc:{alt}", f"<img alt={alt!r}> has no src; its alt text was kept")
            para.text(alt, state)
            return
        if not alt:
            self.warn_once(f"img-noalt:{src}", f"<img src={src!r}> has no alt text")
        data, mime = self.doc.read_resource(src)  # a ResourceError is the user's to fix
        try:
            rid, image = para.ctx.part.get_or_add_image(io.BytesIO(data))
        except UnrecognizedImageError:
            converted = _to_png(data)
            if converted is None:
                self.warn_once(
                    f"img-format:{src}",
                    f"image {src!r} ({mime}) cannot be placed in Word "
                    "(use PNG or JPEG); its alt text was kept",
                )
                para.text(alt, state)
                return
            rid, image = para.ctx.part.get_or_add_image(io.BytesIO(converted))
        classes = set((el.get("class") or "").split())
        px_w, px_h = max(image.px_width, 1), max(image.px_height, 1)
        if "letter-logo" in classes:  # as .letterhead img.letter-logo in the print CSS
            cx = round(self.doc.theme.logo_width_mm * 0.7 * EMU_PER_MM)
        elif "signature" in classes:  # 14 mm high, as img.signature in the print CSS
            cx = round(SIGNATURE_HEIGHT_MM * EMU_PER_MM * px_w / px_h)
        elif "logo" in classes and para.ctx.in_cover:  # `.cover img.logo`; elsewhere its own size
            cx = round(self.doc.theme.logo_width_mm * EMU_PER_MM)
        elif "photo" in classes and para.ctx.in_card:
            cx = PHOTO_WIDTH_MM * EMU_PER_MM
        elif (el.get("width") or "").isdigit():
            cx = int(el.get("width")) * EMU_PER_PX
        else:
            cx = px_w * EMU_PER_PX
        cx = min(cx, para.ctx.width * EMU_PER_TWIP)
        cy = round(cx * px_h / px_w)
        shape_id = next(self._shape_ids)
        # Named by content, not by the source file (a photo's name is often a person's name).
        name = f"image-{hashlib.sha256(data).hexdigest()[:16]}"
        inline = CT_Inline.new_pic_inline(shape_id, rid, name, cx, cy)
        for side in ("distT", "distB", "distL", "distR"):  # absent, LibreOffice adds 3 mm
            inline.set(side, "0")
        inline.docPr.set("descr", alt)
        for cnvpr in inline.xpath(".//pic:cNvPr"):
            cnvpr.set("descr", alt)
        para.add("drawing", payload=inline, state=state)


def _to_png(data: bytes) -> bytes | None:
    """Convert an image python-docx cannot place (WebP ...) to PNG; None if Pillow can't read it."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with WeasyPrint
        return None
    try:
        with Image.open(io.BytesIO(data)) as im:
            out = io.BytesIO()
            im.save(out, "PNG")
            return out.getvalue()
    except Exception:
        return None
