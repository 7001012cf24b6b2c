"""Filters for the site's log handlers."""

import logging


class RefusalWithoutTraceback(logging.Filter):
    """A request refused on purpose (403, 404, 400…) is logged as one line: Django attaches the
    PermissionDenied or Http404 it raised, and its traceback would read as a crash."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info, record.exc_text = None, None
        return True
