"""The province console: server-rendered pages on the province server (FastAPI + Jinja2, no CDN, little JS)."""
