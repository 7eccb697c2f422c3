"""Every rendered output and the views that serve it: PDFs, the DOCX, spreadsheets, CSV and
calendars, one module per step they print. Each checks permissions as its page does."""
