"""WeasyPrint's tagging step (PDF/UA structure tree) -> the same tree, each page's reference
looked up once instead of once per structure element.

WeasyPrint's `add_tags` (weasyprint/pdf/tags.py) asks `pdf.page_references[page]` for every
structure element it makes, and pydyf builds that tuple of every page's reference anew on
each call: for the 62-page dossier's 21 000 elements, 1.3 million references formatted, three
quarters of the tagging step's time. The tuple does not change while the tree is built
(tagging adds objects, never pages), so `install` wraps `add_tags` to compute it once and
hand the same values back. The structure tree, and so the file, is the same byte for byte
(tests/writers/test_pdf_tagging.py).
"""

from __future__ import annotations

from functools import cache

# WeasyPrint's release whose add_tags this was checked against; with another, it is left as it is.
WEASYPRINT_VERSION = "70.0"


@cache
def install() -> bool:
    """Wrap weasyprint.pdf.add_tags, once per process; whether it was wrapped."""
    import weasyprint
    import weasyprint.pdf

    if weasyprint.__version__ != WEASYPRINT_VERSION:
        return False
    original = weasyprint.pdf.add_tags

    def add_tags(pdf, *args, **kwargs):
        fixed = _fixed_pages(type(pdf))
        if fixed is None:
            return original(pdf, *args, **kwargs)
        own_class = pdf.__class__
        pdf._page_references = pdf.page_references
        pdf.__class__ = fixed
        try:
            return original(pdf, *args, **kwargs)
        finally:
            pdf.__class__ = own_class
            del pdf._page_references

    add_tags.__wrapped__ = original
    weasyprint.pdf.add_tags = add_tags
    return True


@cache
def _fixed_pages(pdf_class):
    """`pdf_class` whose page_references is the tuple stored on the instance, or None when
    the class does not have the property this replaces."""
    if not isinstance(getattr(pdf_class, "page_references", None), property):
        return None
    fixed = property(lambda self: self._page_references)
    return type(pdf_class.__name__, (pdf_class,), {"page_references": fixed})
