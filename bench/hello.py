"""The baseline: a bare Flask "hello world", served with the portal's exact gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The cheapest response Flask can give: what the portal's pages are compared with."""
    return "Hello, World!"
