"""WSGI entry point: ``gunicorn wsgi:app`` or ``flask --app wsgi ...``."""

import gc

from portal import create_app
from portal.web.warmup import warm_up

app = create_app()
warm_up(app)  # what a worker's first requests would otherwise wait for

# Everything made while starting up (routes, templates, SQLAlchemy's mappers, Babel's locale
# data) lives as long as the process: move it out of the garbage collector's sight, so that the
# occasional full collection during a request only walks what requests made, not all of that.
gc.freeze()
