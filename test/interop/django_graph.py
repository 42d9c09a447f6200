"""Builds a fixture's migration graph with Django's own MigrationLoader and prints it as JSON.

Usage: python django_graph.py <project dir> [settings module]

Nothing is applied (connection=None), which is what `makemigrations` sees: the same question migrate-lint
answers statically. Errors Django raises while loading (NodeNotFoundError, CircularDependencyError, a
SyntaxError on import) are reported as data, not raised.
"""
import json
import os
import sys


def main():
    project = os.path.abspath(sys.argv[1])
    settings_module = sys.argv[2] if len(sys.argv) > 2 else "mysite.settings"
    sys.path.insert(0, project)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django

    django.setup()
    from django.db.migrations.exceptions import CircularDependencyError, NodeNotFoundError
    from django.db.migrations.loader import MigrationLoader

    try:
        loader = MigrationLoader(None, ignore_no_migrations=True)
    except NodeNotFoundError as e:
        print(json.dumps({"ok": False, "error": "NodeNotFoundError", "node": list(e.node), "origin": str(e.origin), "message": e.message}))
        return
    except CircularDependencyError as e:
        print(json.dumps({"ok": False, "error": "CircularDependencyError", "message": str(e)}))
        return
    except SyntaxError as e:
        print(json.dumps({"ok": False, "error": "SyntaxError", "file": os.path.relpath(e.filename, project), "line": e.lineno, "message": str(e)}))
        return

    graph = loader.graph
    local = {app for app, _ in loader.disk_migrations if loader.disk_migrations[(app, _)].__module__.split(".")[0] in os.listdir(project)}
    nodes = sorted([list(k) for k in graph.nodes if k[0] in local])
    edges = sorted(
        [[list(p.key), list(n.key)] for n in graph.node_map.values() if n.key[0] in local for p in n.parents]
    )
    leaves = {app: [name for a, name in graph.leaf_nodes(app)] for app in sorted(local)}
    conflicts = loader.detect_conflicts()
    print(json.dumps({"ok": True, "nodes": nodes, "edges": edges, "leaves": leaves, "conflicts": conflicts, "django": django.get_version()}))


main()
