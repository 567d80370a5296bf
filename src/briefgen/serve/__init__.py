"""`briefgen serve`: a local preview server for authors (shared/spec/cli.md, version 1.1).

listen     --host/--port -> a bound socket (default port moves up, a named one fails)
previews   project + saves -> built previews in a private folder, and their status
watch      saves in the project -> one batch of changed paths per save
docx_view  DOCX -> PDF through LibreOffice, for viewing
app        HTTP -> page, assets, previews, /status.json, /events (Host header checked)
runner     the pieces together, and a clean stop on Ctrl-C
"""
