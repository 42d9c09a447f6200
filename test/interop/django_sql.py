"""Prints the SQL Django's PostgreSQL schema editor emits for every migration of a project, as JSON.

Usage: python django_sql.py <project dir> <database url> [settings module]

Each migration is applied for real, in Django's own order (the executor's plan to every leaf), and every
statement the schema editor executes is recorded. That is what `migrate` runs, which is not always what
`sqlmigrate` prints: on PostgreSQL, `AlterField`, `RemoveField` and `RenameModel` look up the names of
existing constraints and indexes in the database (`BaseDatabaseSchemaEditor._constraint_names`), and
`sqlmigrate` (collect_sql=True) runs nothing, so an operation that follows another in the same migration
is looked up against tables the earlier one has not changed yet (a foreign key renamed earlier in the
migration is then not found and not dropped). A fresh database named after the url is created first and
dropped afterwards.

Prints `{"django": version, "migrations": [{"app", "name", "sql": [statement, ...]}]}`.
"""
import importlib
import json
import os
import sys
from urllib.parse import urlparse


def main():
    project = os.path.abspath(sys.argv[1])
    url = urlparse(sys.argv[2])
    settings_module = sys.argv[3] if len(sys.argv) > 3 else "mysite.settings"
    sys.path.insert(0, project)
    db = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": url.path.lstrip("/"),
        "USER": url.username or "postgres",
        "PASSWORD": url.password or "",
        "HOST": url.hostname or "127.0.0.1",
        "PORT": str(url.port or 5432),
    }

    try:
        import psycopg
    except ImportError:
        sys.exit("django_sql.py needs psycopg in the venv (Django's PostgreSQL backend imports it): "
                 ".venv/bin/pip install 'psycopg[binary]', as .ci/run does")

    admin = dict(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"], dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as c:
        c.execute('DROP DATABASE IF EXISTS "%s"' % db["NAME"])
        c.execute('CREATE DATABASE "%s"' % db["NAME"])
    try:
        print(json.dumps(collect(settings_module, db)))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(**admin) as c:
            c.execute('DROP DATABASE IF EXISTS "%s"' % db["NAME"])


def collect(settings_module, db):
    # The project's own settings, with DATABASES pointed at the throwaway database.
    mod = importlib.import_module(settings_module)
    values = {k: getattr(mod, k) for k in dir(mod) if k.isupper()}
    values["DATABASES"] = {"default": db}

    from django.conf import settings

    settings.configure(**values)
    import django

    django.setup()
    from django.db import connection
    from django.db.backends.postgresql.schema import DatabaseSchemaEditor
    from django.db.migrations.executor import MigrationExecutor

    # Every statement the schema editor runs, with its parameters merged the way the PostgreSQL editor
    # merges them (DatabaseSchemaEditor.execute). Introspection queries do not go through it.
    recorded = []
    execute = DatabaseSchemaEditor.execute

    def recording(self, sql, params=()):
        recorded.append(str(sql) if params is None else self.connection.ops.compose_sql(str(sql), params))
        return execute(self, sql, params)

    DatabaseSchemaEditor.execute = recording
    executor = MigrationExecutor(connection)
    # django_migrations is created before recording starts: it is not part of any migration.
    executor.recorder.ensure_schema()
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    out = []
    for migration, _backwards in plan:
        del recorded[:]
        try:
            executor.apply_migration(executor.loader.project_state((migration.app_label, migration.name), at_end=False), migration)
        except Exception as e:  # reported as data: the test says which migration Django refused
            out.append({"app": migration.app_label, "name": migration.name, "error": "%s: %s" % (type(e).__name__, e)})
            break
        out.append({"app": migration.app_label, "name": migration.name, "sql": list(recorded)})
    return {"django": django.get_version(), "migrations": out}


main()
