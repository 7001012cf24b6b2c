"""gunicorn settings for tests/faults/test_worker_killed.py, and for nothing else: one sync
worker whose "raise an issue" stops in the middle of its transaction, once, so that the test can
kill the worker there.

When the file KODA_FAULT_ARMED names exists, the next post_issue() removes it and, after writing
the issue row, its age groups, its tags and their links, and before the search index, the
follow and the audit record, writes what its transaction holds to KODA_FAULT_MARKER and sleeps.
Workers started later find the file gone and post normally."""

import json
import os
import time
from pathlib import Path

workers = 1
worker_class = "sync"
timeout = 120  # the master must not end the sleeping worker itself: the test kills it
preload_app = True  # a new worker is a fork of the loaded master, ready at once
accesslog = "-"


def post_worker_init(worker):
    from forum.models import IssueTag
    from forum.threads import services as threads

    armed = Path(os.environ["KODA_FAULT_ARMED"])
    marker = Path(os.environ["KODA_FAULT_MARKER"])
    index = threads.insert_or_update_object

    def stop_midway(instance):
        try:
            armed.unlink()
        except FileNotFoundError:
            return index(instance)
        state = {
            "pid": os.getpid(),
            "issue": instance.pk,
            "tag_links": IssueTag.objects.filter(content_object_id=instance.pk).count(),
        }
        written = marker.with_suffix(".tmp")
        written.write_text(json.dumps(state))
        written.rename(marker)
        time.sleep(600)

    threads.insert_or_update_object = stop_midway
