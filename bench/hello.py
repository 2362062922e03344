"""A bare Flask app: the yardstick the portal's pages are measured against."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world"
