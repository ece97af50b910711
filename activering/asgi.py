"""ASGI entry point for production servers (granian, uvicorn and the like)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "activering.settings")

application = get_asgi_application()
