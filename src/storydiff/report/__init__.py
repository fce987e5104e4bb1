"""Report writers: the JSON contract, HTML, and (later) Markdown/CSV exports."""
