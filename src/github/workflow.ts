/**
 * The workflow users copy (docs/github-action.md shows the same text, and a test keeps the two equal):
 * `migrate-lint init` writes it to `.github/workflows/migrate-lint.yml`.
 *
 * - `fetch-depth: 0`: `--base` needs the merge-base of the pull request and its target, which a shallow
 *   checkout does not have.
 * - `pull-requests: write` lets the job's token create and edit the pull-request comment; `contents: read`
 *   is what actions/checkout needs. Nothing else is granted.
 * - One run per pull request at a time, so two pushes in quick succession cannot both create a comment.
 */
export const WORKFLOW_YAML = `name: migrate-lint

on:
  pull_request:

permissions:
  contents: read
  pull-requests: write

concurrency:
  group: migrate-lint-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

jobs:
  migrate-lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: migrate-lint/migrate-lint@v0
        with:
          fail-on: error
          comment: true
`;
