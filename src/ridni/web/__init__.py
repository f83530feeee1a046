"""The web app: FastAPI JSON API and server-rendered pages (Jinja2, htmx)."""
