import rule from '../../rules/missing-dependency.js';
import { alembicRevision as rev } from '../../src/engine/examples.js';
import { djangoMigration as mig, tree } from '../helpers/files.js';
import { ruleTester } from '../helpers/rule-tester.js';

const SETTINGS = "INSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes', 'shop']\n";

ruleTester.run(rule, {
  valid: [
    {
      name: 'alembic: every down_revision and depends_on exists',
      alembic: tree({ 'alembic/versions/aaa111_a.py': rev('aaa111', null), 'alembic/versions/bbb222_b.py': rev('bbb222', 'aaa111', { dependsOn: 'aaa111' }) }),
    },
    { name: 'every parent exists', django: tree({ 'shop/migrations/0001_initial.py': mig(), 'shop/migrations/0002_a.py': mig("('shop', '0001_initial')") }) },
    {
      name: 'a dependency on a replaced migration that was removed resolves to the squash',
      django: tree({
        'shop/migrations/0001_squashed_0002_a.py': mig() + "\n    replaces = [('shop', '0001_initial'), ('shop', '0002_a')]",
        'shop/migrations/0003_b.py': mig("('shop', '0002_a')"),
      }),
    },
    {
      name: 'an installed app outside the repository is not judged',
      files: {
        'manage.py': '',
        'mysite/settings.py': SETTINGS,
        'shop/migrations/__init__.py': '',
        'shop/migrations/0001_initial.py': mig("('auth', '0012_alter_user_first_name_max_length')", "('contenttypes', '__first__')"),
      },
    },
    {
      name: 'without readable settings, apps outside the repository are not judged',
      django: tree({ 'shop/migrations/0001_initial.py': mig("('legacy', '0001_initial')") }),
    },
    { name: "a same-app __first__ is ignored, as Django's check_key does", django: tree({ 'shop/migrations/0001_initial.py': mig("('shop', '__first__')") }) },
    {
      name: 'swappable_dependency on the default user model points at auth',
      files: {
        'manage.py': '',
        'mysite/settings.py': SETTINGS,
        'shop/migrations/__init__.py': '',
        'shop/migrations/0001_initial.py': 'from django.conf import settings\n' + mig('migrations.swappable_dependency(settings.AUTH_USER_MODEL)'),
      },
    },
  ],
  invalid: [
    {
      name: "alembic: a down_revision that was deleted, in Alembic's words",
      alembic: tree({ 'alembic/versions/aaa111_a.py': rev('aaa111', null), 'alembic/versions/bbb222_b.py': rev('bbb222', 'zzz999') }),
      errors: [
        {
          messageId: 'noSuchRevision',
          data: { revision: 'bbb222', missing: 'zzz999', via: 'dependency', reason: 'no-such-migration' },
          file: 'alembic/versions/bbb222_b.py',
          line: 6,
          column: 17,
          endLine: 6,
          endColumn: 25,
        },
      ],
      output: null,
    },
    {
      name: 'alembic: a depends_on naming a revision that is not there',
      alembic: tree({ 'alembic/versions/aaa111_a.py': rev('aaa111', null), 'alembic/versions/bbb222_b.py': rev('bbb222', 'aaa111', { dependsOn: 'ccc333' }) }),
      errors: [{ messageId: 'noSuchRevision', data: { revision: 'bbb222', missing: 'ccc333', via: 'depends_on', reason: 'no-such-migration' }, file: 'alembic/versions/bbb222_b.py', line: 7, column: 14, endLine: 7, endColumn: 22 }],
      output: null,
    },
    {
      name: 'a parent that was deleted',
      django: tree({ 'shop/migrations/0001_initial.py': mig(), 'shop/migrations/0003_c.py': mig("('shop', '0002_b')") }),
      errors: [
        {
          messageId: 'noSuchMigration',
          data: { migration: 'shop.0003_c', missing: { app: 'shop', name: '0002_b' }, via: 'dependency', reason: 'no-such-migration' },
          file: 'shop/migrations/0003_c.py',
          line: 5,
          column: 21,
          endLine: 5,
          endColumn: 39,
        },
      ],
      output: null,
    },
    {
      name: 'an app removed from the repository and from INSTALLED_APPS (the seed case)',
      files: {
        'manage.py': '',
        'mysite/settings.py': SETTINGS,
        'shop/migrations/__init__.py': '',
        'shop/migrations/0001_initial.py': mig(),
        'shop/migrations/0002_copy.py': mig("('shop', '0001_initial')", "('clerk_sync', '0003_email')"),
      },
      errors: [
        {
          messageId: 'noSuchSet',
          data: { migration: 'shop.0002_copy', missing: { app: 'clerk_sync', name: '0003_email' }, via: 'dependency', reason: 'no-such-set' },
          file: 'shop/migrations/0002_copy.py',
          line: 5,
          column: 47,
          endLine: 5,
          endColumn: 75,
        },
      ],
      output: null,
    },
    {
      name: 'run_before naming a migration that does not exist',
      django: tree({ 'shop/migrations/0001_initial.py': mig() + "\n    run_before = [('shop', '0009_nope')]" }),
      errors: [
        {
          messageId: 'noSuchRunBefore',
          data: { migration: 'shop.0001_initial', missing: { app: 'shop', name: '0009_nope' }, via: 'run_before', reason: 'no-such-migration' },
          file: 'shop/migrations/0001_initial.py',
          line: 7,
          column: 19,
          endLine: 7,
          endColumn: 40,
        },
      ],
      output: null,
    },
    {
      name: "a same-app __latest__ is a literal name to Django, and does not exist",
      django: tree({ 'shop/migrations/0001_initial.py': mig(), 'shop/migrations/0002_a.py': mig("('shop', '__latest__')") }),
      errors: [
        {
          messageId: 'noSuchMigration',
          data: { migration: 'shop.0002_a', missing: { app: 'shop', name: '__latest__' }, via: 'dependency', reason: 'no-such-migration' },
          file: 'shop/migrations/0002_a.py',
          line: 5,
          column: 21,
          endLine: 5,
          endColumn: 43,
        },
      ],
      output: null,
    },
  ],
});
