"""Loads a project's migrations with Django's own loader and applies them all to SQLite.

Usage: python django_migrate.py <project dir> [settings module]

Prints JSON: the leaves of every app of the project ({app: [names]}), and whether `migrate` applied the
whole history ("ok") or the error it raised. The project's settings must use SQLite.
"""
import io
import json
import os
import sys


def main():
    project = os.path.abspath(sys.argv[1])
    os.chdir(project)
    sys.path.insert(0, project)
    os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[2] if len(sys.argv) > 2 else "mysite.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    local = {app for app, _ in loader.disk_migrations if loader.disk_migrations[(app, _)].__module__.split(".")[0] in os.listdir(project)}
    leaves = {app: sorted(name for a, name in loader.graph.leaf_nodes(app)) for app in sorted(local)}
    try:
        call_command("migrate", verbosity=0, stdout=io.StringIO())
        migrate = "ok"
    except Exception as e:  # noqa: BLE001 - reported as data
        migrate = f"{type(e).__name__}: {e}"
    print(json.dumps({"django": django.get_version(), "leaves": leaves, "migrate": migrate}))


if __name__ == "__main__":
    main()
