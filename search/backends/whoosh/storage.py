"""Index storage. Layout on disk: PATH/<app>.<model>/CURRENT names the live generation, a
sibling directory holding a Whoosh index. A rebuild fills a fresh generation and then swaps
CURRENT, so searches keep answering from the old one while it runs. A generation's name carries
SCHEMA_VERSION and the analyser's version; an index of another version is unavailable until
`update_index`. Writes that fail wait in the index's backlog for the next write that succeeds.
"""

import json
import logging
import os
import secrets
import shutil
import threading
import time
import uuid
from contextlib import contextmanager

from django.apps import apps
from django.db import transaction
from modelsearch.backends.base import BaseIndex
from modelsearch.index import get_indexed_instance
from whoosh import index as wi
from whoosh import writing as whoosh_writing
from whoosh.codec import base as whoosh_codec_base
from whoosh.filedb.filestore import FileStorage
from whoosh.util import IDCHARS

from search.analysis import ANALYSIS_VERSION

from .documents import SCHEMA_VERSION, Document, DocumentLanguage, make_schema

logger = logging.getLogger(__name__)


def _unique_name(size=28):
    return "".join(secrets.choice(IDCHARS) for _ in range(size))


# Whoosh names new segments from the global `random` module. Anything that seeds it (Hypothesis
# does, for every example) makes two writers pick the same segment name, and the second commit
# fails; names from the operating system's generator cannot repeat that way.
whoosh_codec_base.random_name = _unique_name
whoosh_writing.random_name = _unique_name

# Every generation is named with the schema's and the analyser's versions; an index of another
# version must be rebuilt.
VERSION_TAG = f"s{SCHEMA_VERSION}a{ANALYSIS_VERSION}"
OPEN_ATTEMPTS = 5  # reads of a table of contents that a commit elsewhere replaced meanwhile
WRITE_LOCK_TIMEOUT = 30.0  # seconds a writer waits for another process's write lock


class SearchIndexUnavailable(Exception):
    """The index is missing, unreadable or of another version: run `update_index`."""


_searchers = threading.local()


def _abandon(writer):
    """Cancel a failed write; whatever happened, the lock is released for the next writer."""
    try:
        writer.cancel()
    except Exception:
        pass
    finally:
        lock = writer.writelock
        if lock is not None and getattr(lock, "fd", None) is not None:
            lock.release()


class WhooshIndex(BaseIndex):
    """The index of one root model: a directory of generations and a CURRENT pointer."""

    def __init__(self, backend, model):
        super().__init__(backend)
        self.model = model
        self.name = f"{model._meta.app_label}.{model._meta.model_name}"
        self.directory = os.path.join(backend.path, self.name)

    def get_key(self):
        return self.name

    def __str__(self):
        return self.name

    # Generations

    def _current_path(self):
        return os.path.join(self.directory, "CURRENT")

    def current_generation(self) -> str | None:
        try:
            with open(self._current_path(), encoding="utf-8") as f:
                return f.read().strip() or None
        except FileNotFoundError:
            return None

    def new_generation(self) -> tuple[str, wi.Index]:
        name = f"{VERSION_TAG}-{time.time_ns()}-{uuid.uuid4().hex[:6]}"
        path = os.path.join(self.directory, name)
        os.makedirs(path)
        return name, FileStorage(path).create_index(make_schema())

    @contextmanager
    def _generations_lock(self):
        """Serialises creating and swapping generations across processes."""
        os.makedirs(self.directory, exist_ok=True)
        lock = FileStorage(self.directory).lock("GENERATIONS")
        lock.acquire(blocking=True)
        try:
            yield
        finally:
            lock.release()

    def swap_to(self, generation: str):
        """Make `generation` the live one, atomically, and remove the others."""
        with self._generations_lock():
            self._swap_to(generation)

    def _swap_to(self, generation: str):
        tmp = f"{self._current_path()}.{uuid.uuid4().hex}"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(generation)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self._current_path())
        for entry in os.listdir(self.directory):
            path = os.path.join(self.directory, entry)
            if entry != generation and os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)

    def open(self, create=False) -> wi.Index:
        """The live Whoosh index; with `create`, a first one is made when there is none."""
        generation = self.current_generation()
        if generation is None:
            if not create:
                if os.path.isdir(self.backend.path):
                    return None  # nothing of this model indexed yet: empty, not broken
                raise SearchIndexUnavailable(f"No search index at {self.backend.path}")
            with self._generations_lock():
                generation = self.current_generation()  # another process may have made it
                if generation is None:
                    generation, ix = self.new_generation()
                    self._swap_to(generation)
                    return ix
        if not generation.startswith(VERSION_TAG + "-"):
            raise SearchIndexUnavailable(
                f"The search index {self.name} is of another version ({generation}); "
                "run update_index"
            )
        # Read, not memory-mapped: every segment a worker's searchers touched stayed mapped in
        # it (377 MB per gunicorn worker after members' searches at scale medium, 178 MB read).
        storage = FileStorage(os.path.join(self.directory, generation), supports_mmap=False)
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            try:
                return storage.open_index()
            except FileNotFoundError as e:
                # Another process committed between Whoosh finding the latest table of contents
                # and reading it, and removed it: the next attempt reads the new one.
                if attempt == OPEN_ATTEMPTS:
                    raise SearchIndexUnavailable(
                        f"The search index {self.name} cannot be read: {e}"
                    ) from e
            except Exception as e:
                raise SearchIndexUnavailable(
                    f"The search index {self.name} cannot be read: {e}"
                ) from e

    def searcher(self):
        """A searcher kept open per thread and reopened when the index has changed, or None
        for an index with nothing in it yet."""
        cache = getattr(_searchers, "cache", None)
        if cache is None:
            cache = _searchers.cache = {}
        generation = self.current_generation()
        key = (self.directory, generation)
        try:
            if key not in cache:
                for old_key in [k for k in cache if k[0] == self.directory]:
                    cache.pop(old_key)[1].close()
                ix = self.open()
                if ix is None:
                    return None
                cache[key] = (ix, ix.searcher(), ix.latest_generation())
            ix, searcher, toc = cache[key]
            # Whoosh's own up_to_date() fails on an index without segments; the TOC's
            # generation is what a commit changes.
            if ix.latest_generation() != toc:
                searcher.close()
                cache[key] = (ix, ix.searcher(), ix.latest_generation())
                searcher = cache[key][1]
        except SearchIndexUnavailable:
            raise
        except Exception as e:
            cache.pop(key, None)
            raise SearchIndexUnavailable(f"The search index {self.name} cannot be read: {e}") from e
        return searcher

    # Writing

    def _write(self, prepare, objects):
        """Write to the live index after the database transaction commits, so a rolled-back
        save leaves no trace and documents are read in their committed state (tags included);
        `prepare()` reads the database and returns the work to do with the writer. Should the
        write fail (the index locked by another writer for longer than WRITE_LOCK_TIMEOUT, the
        disk full), `objects` go to the backlog, which the next write that succeeds takes in."""

        def write():
            try:
                work = prepare()
                ix = self.open(create=True)
                writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT)
            except BaseException:
                self._add_to_backlog(objects)
                raise
            backlog = []
            try:
                backlog = self._take_backlog()  # the write lock keeps other writers out
                work(writer)
                self._catch_up(writer, backlog)
                writer.commit()
            except BaseException:
                _abandon(writer)
                self._add_to_backlog(objects + backlog)
                raise

        if self.backend.after_commit:
            transaction.on_commit(write, robust=self.backend.catch_indexing_errors)
        else:
            write()

    def add_model(self, model):
        pass

    def refresh(self):
        pass

    def reset(self):
        os.makedirs(self.directory, exist_ok=True)
        generation, _ = self.new_generation()
        self.swap_to(generation)

    def documents(self, model, items):
        language = DocumentLanguage(self.backend.language)
        return [Document(obj, language(obj)).fields for obj in items]

    def add_items(self, model, items):
        items = list(items)

        def prepare():
            documents = self.documents(model, items)
            return lambda writer: [writer.update_document(**doc) for doc in documents]

        if items:
            self._write(prepare, [(item._meta.label, str(item.pk)) for item in items])

    def delete_item(self, item):
        pk = str(item.pk)
        self._write(
            lambda: lambda writer: writer.delete_by_term("@id", pk), [(item._meta.label, pk)]
        )

    # The backlog: objects whose write failed, as JSON lines (model label, pk) in one file per
    # index. Appending a short line is atomic, so writers in several processes may add at once.

    def _backlog_path(self):
        return os.path.join(self.directory, "BACKLOG")

    def _add_to_backlog(self, objects):
        if not objects:
            return
        try:
            os.makedirs(self.directory, exist_ok=True)
            with open(self._backlog_path(), "a", encoding="utf-8") as f:
                f.write("".join(json.dumps(entry) + "\n" for entry in objects))
            logger.error("%d object(s) wait in the backlog of search index %s", len(objects), self)
        except OSError:
            logger.exception("Objects not indexed and not kept for later: %s", objects)

    def _take_backlog(self) -> list:
        """The backlog's entries, taken out of it; a file moved aside first, so that lines
        added meanwhile go to a new backlog instead of being lost."""
        path = self._backlog_path()
        taken = f"{path}.{uuid.uuid4().hex}"
        try:
            os.replace(path, taken)
        except FileNotFoundError:
            return []
        entries = []
        with open(taken, encoding="utf-8") as f:
            for line in f:
                try:
                    entries.append(tuple(json.loads(line)))
                except ValueError:  # a line cut short by a full disk
                    logger.error("Unreadable backlog entry in %s: %r", self, line)
        os.remove(taken)
        return list(dict.fromkeys(entries))

    def _catch_up(self, writer, backlog):
        """Index each object of the backlog as it is now, or remove it if it is gone. An entry
        that fails is logged and dropped: kept, it would fail every write after it."""
        language = DocumentLanguage(self.backend.language)
        for label, pk in backlog:
            try:
                obj = apps.get_model(label)._default_manager.filter(pk=pk).first()
                obj = obj and get_indexed_instance(obj)
                if obj is None:
                    writer.delete_by_term("@id", pk)
                else:
                    writer.update_document(**Document(obj, language(obj)).fields)
            except Exception:
                logger.exception("Backlog entry %s %s of %s not indexed", label, pk, self)


class WhooshRebuildingIndex(WhooshIndex):
    """A fresh generation filled by `update_index` through one writer, swapped in at the end."""

    def __init__(self, index):
        super().__init__(index.backend, index.model)
        os.makedirs(self.directory, exist_ok=True)
        self.generation, ix = self.new_generation()
        self.writer = ix.writer(procs=1, limitmb=256)

    def add_items(self, model, items):
        for doc in self.documents(model, items):
            self.writer.add_document(**doc)

    def delete_item(self, item):
        self.writer.delete_by_term("@id", str(item.pk))


class WhooshIndexRebuilder:
    def __init__(self, index):
        self.index = index
        self.rebuilding = None

    def start(self):
        self.rebuilding = WhooshRebuildingIndex(self.index)
        return self.rebuilding

    def finish(self):
        self.rebuilding.writer.commit(optimize=True)
        self.index.swap_to(self.rebuilding.generation)
