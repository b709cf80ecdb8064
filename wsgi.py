"""The WSGI entry point: gunicorn serves `wsgi:app`, and `flask --app wsgi` finds it here."""

from workshop import create_app

app = create_app()
