"""WSGI entry point (gunicorn renkei.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
application = get_wsgi_application()
