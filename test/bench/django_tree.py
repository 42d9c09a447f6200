"""Django's own view of a generated project (test/bench/generators.test.ts), as JSON.

Usage: python django_tree.py <project dir> [--state]

MigrationLoader(None, ignore_no_migrations=True) is what `makemigrations` sees with no database: the
graph after squash replacement, each app's leaves and `detect_conflicts()`. With --state, the final
project state is also rendered (`loader.project_state().apps`), which replays every operation and resolves
every ForeignKey: proof that the generated operations are valid, not only the graph. No bytecode is
written into the tree.
"""
import json
import os
import sys

sys.dont_write_bytecode = True


def main():
    project = os.path.abspath(sys.argv[1])
    sys.path.insert(0, project)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mysite.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.db.migrations.loader import MigrationLoader

    ours = [a for a in settings.INSTALLED_APPS if not a.startswith("django.")]
    loader = MigrationLoader(None, ignore_no_migrations=True)
    graph = loader.graph
    out = {
        "django": django.get_version(),
        "nodes": sum(1 for app, _ in graph.nodes if app in ours),
        "disk": sum(1 for app, _ in loader.disk_migrations if app in ours),
        "replacements": sorted(f"{app}.{name}" for (app, name) in loader.replacements if app in ours),
        "leaves": {app: sorted(name for _, name in graph.leaf_nodes(app)) for app in ours},
        "conflicts": loader.detect_conflicts(),
    }
    if "--state" in sys.argv:
        state = loader.project_state()
        out["models"] = sum(1 for app, _ in state.models if app in ours)
        out["rendered"] = sum(1 for m in state.apps.get_models() if m._meta.app_label in ours)
    print(json.dumps(out))


main()
