import os

from django.core.wsgi import get_wsgi_application

from portal.env import exit_if_misconfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
exit_if_misconfigured()
application = get_wsgi_application()
