#!/usr/bin/python3
"""A Flask app on loopback for FlaskInteropTest: Flask's own session cookie, set and shown by Flask.

  flask-session-app.py SECRET      prints "port N" once it listens on 127.0.0.1:N; stops at EOF on stdin
  GET /set    sets a session with every tag type and two flashes (Set-Cookie: session=...)
  GET /show   {"session": <the session as Flask's tagged JSON>, "flashes": [[category, message], ...]}
"""
import datetime
import json
import sys
import threading
import uuid

from flask import Flask, flash, get_flashed_messages, session
from flask.json.tag import TaggedJSONSerializer
from markupsafe import Markup
from werkzeug.serving import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


app = Flask("flask-session-app")
app.secret_key = sys.argv[1]


@app.route("/set")
def set_all():
    session["tuple"] = (1, "a", (2.5, None))
    session["bytes"] = b"\x00\xff binary"
    session["uuid"] = uuid.UUID("12345678-1234-5678-1234-567812345678")
    session["when"] = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    session["markup"] = Markup("<b>bold</b>")
    session["escaped"] = {" t": [1, 2]}
    session["text"] = "Zoë 🍪"
    flash("Saved in Flask")
    flash("Careful", "warning")
    return "ok"


@app.route("/show")
def show():
    flashes = [list(f) for f in get_flashed_messages(with_categories=True)]
    return json.dumps({"session": TaggedJSONSerializer().dumps(dict(session)), "flashes": flashes})


server = make_server("127.0.0.1", 0, app, request_handler=QuietHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(f"port {server.server_port}", flush=True)
sys.stdin.read()
server.shutdown()
