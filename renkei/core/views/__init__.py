"""Pages of the core app, one module per area; `csrf_failure` is Django's CSRF_FAILURE_VIEW."""
from .accounts import csrf_failure

__all__ = ["csrf_failure"]
