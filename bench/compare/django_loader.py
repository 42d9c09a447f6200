"""Django's own answer to "does this history still hold together", timed from inside Python.

Usage: python django_loader.py <project dir> <settings module>

What `makemigrations --check` does before it looks at models: MigrationLoader with no connection (nothing
applied, the disk and the graph only) and detect_conflicts(). Prints JSON: the loader's own time
(perf_counter around building the loader and detecting conflicts, Django's set-up excluded), the graph's
size and the conflicts, so the runner can check both tools saw the same tree.
"""
import json
import os
import sys
import time


def main():
    project = os.path.abspath(sys.argv[1])
    sys.path.insert(0, project)
    os.environ["DJANGO_SETTINGS_MODULE"] = sys.argv[2]
    import django

    django.setup()
    from django.db.migrations.loader import MigrationLoader

    t0 = time.perf_counter()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    conflicts = loader.detect_conflicts()
    loader_ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({"loaderMs": loader_ms, "nodes": len(loader.graph.nodes), "conflicts": conflicts, "django": django.get_version()}))


main()
