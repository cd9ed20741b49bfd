"""Errors a service raises; views map them to a flashed message or an HTTP status."""


class ServiceError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidInput(ServiceError):
    status = 422
    code = "invalid_input"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class NotAllowed(ServiceError):
    status = 403
    code = "forbidden"


class StateConflict(ServiceError):
    status = 409
    code = "conflict"
