/**
 * The composite-action runner the action's end-to-end test relies on (test/helpers/composite-action.ts):
 * its expressions follow GitHub's rules where action.yml uses them, and it throws on everything else.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateCondition, evaluateTemplate, parseExpression, parseFileCommands, type ExpressionContext } from '../helpers/composite-action.js';

function ctx(over: Partial<ExpressionContext> = {}): ExpressionContext {
  return {
    inputs: { comment: 'TRUE', base: '', 'fail-on': 'error' },
    github: { event_name: 'pull_request', event: { pull_request: { number: 7, base: { ref: 'main' } } }, token: 't', action_path: '/a' },
    steps: new Map<string, { outputs: Record<string, string>; outcome: string | null }>([
      ['check', { outputs: { 'exit-code': '1' }, outcome: 'success' }],
      ['comment', { outputs: {}, outcome: null }],
    ]),
    env: { FOO: 'bar' },
    runner: { temp: '/tmp/r' },
    failed: false,
    ...over,
  };
}

const ev = (src: string, c = ctx()) => evaluate(parseExpression(src), c, src);

describe('expressions', () => {
  it('reads contexts, compares like GitHub and returns operands from && and ||', () => {
    expect(ev("inputs.comment == 'true'")).toBe(true); // strings compare ignoring case
    expect(ev('inputs.comment == true')).toBe(false); // 'TRUE' as a number is NaN
    expect(ev("inputs.comment == 'true' && github.event.pull_request.number")).toBe(7);
    expect(ev('github.event.pull_request.base.ref')).toBe('main');
    expect(ev('github.event.issue.number')).toBeNull();
    expect(ev("steps.check.outputs.exit-code != ''")).toBe(true);
    expect(ev("steps.comment.outputs.comment-url != ''")).toBe(false);
    expect(ev("steps.check.outputs.exit-code == 1")).toBe(true);
    expect(ev("inputs.base || 'origin/main'")).toBe('origin/main');
    expect(ev("!(inputs.base == '') || env.FOO == 'bar'")).toBe(true);
    expect(ev('env.MISSING == null')).toBe(true);
    expect(ev("'it''s'")).toBe("it's");
  });

  it('interpolates templates', () => {
    expect(evaluateTemplate('origin/${{ github.event.pull_request.base.ref }} in ${{ runner.temp }}', ctx())).toBe('origin/main in /tmp/r');
    expect(evaluateTemplate("${{ '}}' }}", ctx())).toBe('}}');
  });

  it('adds success() to conditions without a status function', () => {
    const failed = ctx({ failed: true });
    expect(evaluateCondition(undefined, failed)).toBe(false);
    expect(evaluateCondition("inputs.comment == 'true'", failed)).toBe(false);
    expect(evaluateCondition("always() && inputs.comment == 'true'", failed)).toBe(true);
    expect(evaluateCondition('${{ failure() }}', failed)).toBe(true);
    expect(evaluateCondition("${{ inputs.comment == 'true' }}", ctx())).toBe(true);
  });

  it('throws on what it does not support, so action.yml cannot depend on it untested', () => {
    for (const src of ["contains(github.event_name, 'pull')", 'github.sha', 'inputs.nope', 'secrets.TOKEN', 'steps.nope.outputs.x', 'steps.check.result', "github.event['x']", 'inputs.base < 1', 'runner.tool_cache', 'github.token.x']) {
      expect(() => ev(src), src).toThrow();
    }
    expect(() => evaluateCondition("x ${{ inputs.comment == 'true' }}", ctx())).toThrow(/mixes text/);
    expect(() => evaluateTemplate('${{ github.event }}', ctx())).toThrow(/object/);
  });
});

describe('file commands', () => {
  it('reads name=value and heredoc forms', () => {
    expect(parseFileCommands('a=1\nb=x=y\nbody<<EOF\nline 1\n\nline 3\nEOF\nc=\n')).toEqual({ a: '1', b: 'x=y', body: 'line 1\n\nline 3', c: '' });
    expect(() => parseFileCommands('x<<EOF\nno end\n')).toThrow(/no line 'EOF'/);
    expect(() => parseFileCommands('nonsense\n')).toThrow();
  });
});
