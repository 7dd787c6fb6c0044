"""Files a person keeps, written from query results: the report document (Markdown, JSON, CSV),
the HTML page (a Jinja2 template), trend charts (PNG), and how values and trends read.

Pure functions of results: no SQL here, no Slack, no terminal."""
