"""WSGI entry point: `gunicorn app:app` or `flask --app app run`."""

from corep_drafts import create_app

app = create_app()
