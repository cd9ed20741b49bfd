"""Reading a declaration and its versions."""
from flask import Blueprint, render_template
from flask_login import current_user

from corep_drafts.services import declarations

bp = Blueprint("declarations", __name__, url_prefix="/declarations")


@bp.get("/<int:declaration_id>")
def show(declaration_id: int):
    """The current text of a declaration, with its versions."""
    declaration = declarations.get_visible_declaration(current_user, declaration_id)
    return render_template("declarations/show.html", declaration=declaration,
                           version=declaration.current_version)


@bp.get("/<int:declaration_id>/versions/<int:number>")
def version(declaration_id: int, number: int):
    """One version of a declaration's text, as it was."""
    version = declarations.get_visible_version(current_user, declaration_id, number)
    return render_template("declarations/show.html", declaration=version.declaration, version=version)
