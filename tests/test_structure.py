"""The forum's rooms and the direction of their dependencies (README, "Where things are").

Each feature of the forum lives in a room (forum/<room>/) holding its models, services,
permissions, forms, views, urls and templates. Rooms depend only on rooms below them, the public
site may use the forum but the forum never the public site, and no module imports one that
imports it back, not even inside a function. Imports are read from the source, every one of them,
so a new module or a deferred import is held to the same rules."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lower rooms first; a room may import its own modules and those of rooms strictly below it.
# Issues and discussions are two kinds of thread on the same footing: neither knows the other.
ROOM_LEVELS = {
    "core": 0,
    "members": 1,
    "notifications": 2,
    "threads": 3,
    "issues": 4,
    "discussions": 4,
    "topics": 5,
    "inbox": 6,
    "moderation": 7,
    "personal_data": 7,
}
# The forum's composition: Django's and Wagtail's entry points, which gather the rooms. No room
# imports them.
COMPOSITION = {
    "forum.apps",
    "forum.audit_words",
    "forum.models",
    "forum.services",
    "forum.urls",
    "forum.wagtail_hooks",
}
PACKAGES = ("forum", "cms", "search", "site")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[0] == "site":
        parts[0] = "koda"  # the project package is installed as koda (pyproject.toml)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project's modules that `name` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for candidate in candidates:
            # The longest prefix that is one of the project's modules.
            while candidate and candidate not in MODULES:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                found.add(candidate)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "forum" and len(parts) > 1 and parts[1] in ROOM_LEVELS else None


def test_every_forum_package_is_a_room_or_part_of_the_composition():
    """A new folder under forum/ must take its place in ROOM_LEVELS."""
    # Django's own folders, and the places the migrations load (data/omavalitsused.csv).
    allowed = set(ROOM_LEVELS) | {"management", "templatetags", "migrations", "static", "data"}
    folders = {
        p.name for p in (ROOT / "forum").iterdir() if p.is_dir() and not p.name.startswith("__")
    }
    assert folders <= allowed, f"forum/{sorted(folders - allowed)} is not a room: add it"


def test_rooms_depend_only_on_rooms_below_them():
    wrong = []
    for module, imported in GRAPH.items():
        room = _room(module)
        if room is None:
            continue
        for other in imported:
            other_room = _room(other)
            if other in COMPOSITION or other == "forum":
                wrong.append(f"{module} imports the composition module {other}")
            elif other_room not in (None, room) and ROOM_LEVELS[other_room] >= ROOM_LEVELS[room]:
                wrong.append(f"{module} ({room}) imports {other} ({other_room})")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_forum_never_imports_the_public_site():
    wrong = [
        f"{module} imports {other}"
        for module, imported in GRAPH.items()
        if module.startswith("forum")
        for other in imported
        if other.startswith("cms")
    ]
    assert not wrong, "\n".join(sorted(wrong))


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_one_that_imports_it_back():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("room", sorted(ROOM_LEVELS))
def test_each_room_is_a_package(room):
    assert (ROOT / "forum" / room / "__init__.py").exists()


# What writes to the database: a model's save() and delete(), and a queryset's bulk writes.
WRITES = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERYSETS = {"filter", "exclude", "all", "select_for_update"}


def _writes(tree) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, node.func.value
        on_queryset = (isinstance(receiver, ast.Attribute) and receiver.attr == "objects") or (
            isinstance(receiver, ast.Call)
            and isinstance(receiver.func, ast.Attribute)
            and receiver.func.attr in QUERYSETS
        )
        if name in WRITES or (name in ("create", "update") and on_queryset):
            found.append(f"line {node.lineno}: .{name}()")
    return found


VIEW_MODULES = sorted(
    name for name in MODULES if name.rpartition(".")[2] == "views" or name.endswith("_views")
)


def test_the_view_modules_are_found():
    assert {"forum.issues.views", "forum.discussions.views", "search.views"} <= set(VIEW_MODULES)


@pytest.mark.parametrize("module", VIEW_MODULES)
def test_views_write_nothing_themselves(module):
    """Views find, validate and call one service; the services write (STYLE.md)."""
    assert _writes(ast.parse(MODULES[module].read_text())) == []


def test_the_write_finder_finds_writes():
    code = "form.save()\nIssue.objects.filter(pk=1).update(x=1)\nIssue.objects.create()\n"
    code += "context.update(a=1)\ncache.set(k, v)\n"
    assert len(_writes(ast.parse(code))) == 3
