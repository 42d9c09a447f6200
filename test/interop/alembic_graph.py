"""Alembic's own view of every environment in a fixture tree, as JSON (test/interop/alembic.test.ts).

Environments are found as Alembic's users name them: each section of an alembic.ini with a
script_location (alembic -n <section>), a pyproject.toml [tool.alembic] table (with the alembic.ini beside
it, if any), and a script directory with an env.py that no config names. For each: the revision map
(down revisions, resolved depends_on, branch labels), ScriptDirectory.get_heads(), or the error Alembic
raises while building the map.
"""
import configparser
import json
import os
import sys
import warnings

sys.dont_write_bytecode = True  # the fixtures stay as committed

from alembic.config import Config
from alembic.script import ScriptDirectory

root = os.path.abspath(sys.argv[1])
configs = []
for d, _, files in sorted(os.walk(root)):
    if 'alembic.ini' in files:
        ini = os.path.join(d, 'alembic.ini')
        parser = configparser.ConfigParser()
        parser.read(ini)
        for section in parser.sections():
            if parser.has_option(section, 'script_location'):
                configs.append(Config(ini, ini_section=section))
    if 'pyproject.toml' in files:
        toml = os.path.join(d, 'pyproject.toml')
        if '[tool.alembic]' in open(toml).read():
            ini = os.path.join(d, 'alembic.ini')
            configs.append(Config(ini if os.path.exists(ini) else None, toml_file=toml))

out = []
named = set()
for cfg in configs:
    named.add(os.path.realpath(ScriptDirectory.from_config(cfg).dir))
for d, _, files in sorted(os.walk(root)):
    if 'env.py' in files and os.path.realpath(d) not in named and os.path.isdir(os.path.join(d, 'versions')):
        cfg = Config()
        cfg.set_main_option('script_location', d)
        configs.append(cfg)

for cfg in configs:
    script = ScriptDirectory.from_config(cfg)
    env = {'dir': os.path.relpath(script.dir, root)}
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            revisions = {}
            for rev in script.walk_revisions():
                revisions[rev.revision] = {
                    'down': list(rev._versioned_down_revisions),
                    'dependsOn': sorted(rev._resolved_dependencies),
                    'labels': sorted(rev.branch_labels),
                    'file': os.path.relpath(rev.path, root),
                }
            env['heads'] = list(script.get_heads())
            env['revisions'] = revisions
            env['warnings'] = [str(w.message) for w in caught]
    except Exception as e:  # the map could not be built: report what Alembic raised
        env['error'] = type(e).__name__
        env['message'] = str(e)
    out.append(env)
print(json.dumps(out))
