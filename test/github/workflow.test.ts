/**
 * The workflow users copy: docs/github-action.md shows exactly WORKFLOW_YAML (what `migrate-lint init`
 * writes), it uses only inputs action.yml declares, and every input and output of action.yml is
 * documented.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_YAML } from '../../src/github/workflow.js';
import { REPO } from '../helpers/python.js';

const DOC = readFileSync(path.join(REPO, 'docs/github-action.md'), 'utf8');
const ACTION = parseYaml(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; outputs: Record<string, unknown> };

interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>;
}

describe('the example workflow', () => {
  it('docs/github-action.md shows WORKFLOW_YAML, byte for byte', () => {
    const first = /```yaml\n([\s\S]*?)```/.exec(DOC);
    expect(first?.[1]).toBe(WORKFLOW_YAML);
  });

  it('uses only inputs action.yml declares, checks out the full history and may write the comment', () => {
    const wf = parseYaml(WORKFLOW_YAML) as Workflow;
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    const ours = steps.filter((s) => s.uses?.startsWith('migrate-lint/migrate-lint@'));
    expect(ours).toHaveLength(1);
    for (const input of Object.keys(ours[0]!.with ?? {})) expect(Object.keys(ACTION.inputs)).toContain(input);
  });

  it('every input and output of action.yml has a row in the docs', () => {
    for (const name of [...Object.keys(ACTION.inputs), ...Object.keys(ACTION.outputs)]) {
      expect(DOC).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    }
  });
});
