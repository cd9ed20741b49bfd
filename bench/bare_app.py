"""The bare baseline: a minimal Flask + Flask-SQLAlchemy app doing the same database work as the
measured endpoints, served by the same gunicorn settings, so each figure has its floor beside it.

- ``POST /ballots``: a one-row insert (what casting a first ballot must at least do), with the
  same unique (vote, delegate) pair as the real ballot table; 201, or 409 on a repeat.
- ``GET /page``: the same text the draft page shows (BENCH_PAGE_TEXT, a file), HTML-escaped
  in paragraphs, through a Jinja template.
- ``GET /rows``: a select of every row of a table (as many as the amendment list has), as JSON.

Served as ``gunicorn 'bench.bare_app:create_app()'``; environment DATABASE_URL and
BENCH_PAGE_TEXT. ``prepare`` makes its tables with ``create_all`` beforehand: this is not the
application, which never does that.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, jsonify, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from corep_drafts.database import configure_engine_events


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class BareBallot(db.Model):
    __tablename__ = "bare_ballot"
    __table_args__ = (UniqueConstraint("vote_id", "delegate_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(Integer)
    delegate_id: Mapped[int] = mapped_column(Integer)
    choice: Mapped[str] = mapped_column(String(8))


class BareRow(db.Model):
    __tablename__ = "bare_row"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    rationale: Mapped[str] = mapped_column(Text)


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Draft</title></head>
<body><main>{% for paragraph in paragraphs %}<p id="p{{ loop.index }}">{{ paragraph }}</p>
{% endfor %}</main></body></html>"""


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}
    configure_engine_events(app)  # the app's SQLite settings (WAL, busy timeout): a fair floor
    db.init_app(app)
    page_text = Path(os.environ["BENCH_PAGE_TEXT"]).read_text(encoding="utf-8")
    paragraphs = [part for part in page_text.split("\n\n") if part.strip()]

    @app.post("/ballots")
    def cast():
        body = request.get_json()
        db.session.add(
            BareBallot(vote_id=body["vote"], delegate_id=body["delegate"], choice=body["choice"])
        )
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return jsonify(error="repeat"), 409
        return jsonify(choice=body["choice"]), 201

    @app.get("/page")
    def page():
        return render_template_string(PAGE, paragraphs=paragraphs)

    @app.get("/rows")
    def listed():
        found = db.session.scalars(select(BareRow).order_by(BareRow.number)).all()
        return jsonify([{"id": r.id, "number": r.number, "status": r.status} for r in found])

    return app


def prepare(database_url: str, rows: int) -> None:
    """Before the server starts (its two workers would race to create the tables)."""
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url
    configure_engine_events(app)
    db.init_app(app)
    with app.app_context():
        db.create_all()
        db.session.add_all(
            BareRow(number=n, status="submitted", rationale="") for n in range(1, rows + 1)
        )
        db.session.commit()
        db.engine.dispose()
