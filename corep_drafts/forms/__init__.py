"""WTForms forms (Flask-WTF, so every form carries a CSRF token). Buttons that only change
something carry the token by hand (`csrf_token()`); CSRFProtect checks every POST."""
