"""How every JSON body is read (`request.get_json`, the API and the live preview alike).

Strict JSON (RFC 8259): `NaN`, `Infinity` and numbers too large for a float (`1e400`) are not
numbers any column can hold, and a body nested deeper than the parser's recursion limit
(`[[[[...` 100,000 times) is no request either. All three are malformed: a ValueError, which
`get_json` turns into None (silent) or a 400, never a RecursionError or an `inf` reaching a
service.
"""

from __future__ import annotations

import json
import math

from flask.json.provider import DefaultJSONProvider


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is not a finite number")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class StrictJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        kwargs.setdefault("parse_float", _finite_float)
        kwargs.setdefault("parse_constant", _no_constant)
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None
