"""briefgen: structured YAML content + Jinja templates -> briefing papers in PDF and DOCX."""

__version__ = "1.0.0"
