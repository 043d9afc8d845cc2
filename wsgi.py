"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

import gc

from portal import create_app

app = create_app()

# Everything made while starting up (routes, templates, SQLAlchemy's mappers, Babel's locale
# data) lives as long as the process: move it out of the garbage collector's sight, so that the
# occasional full collection during a request only walks what requests made, not all of that.
gc.freeze()
