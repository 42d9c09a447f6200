import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// The CLI keeps parse results and runs in a cache directory (src/discover/store.ts); the tests' runs keep
// theirs in a directory of this test run, not in the home directory.
const cacheDir = process.env.MIGRATE_LINT_CACHE_DIR ?? mkdtempSync(path.join(tmpdir(), 'migrate-lint-test-cache-'));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { MIGRATE_LINT_CACHE_DIR: cacheDir },
  },
});
