import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { BASELINE_TEMPLATE_SUFFIX, GateInputError, writeBaseline } from '../../src/gate';
import { artifactIdOf, removeScratch, REVIEW_REASON, scratchDir, synthGateApp, templateFileOf } from './gate-apps';

let assembly: string;
let changedAssembly: string;
const scratch: string[] = [];

beforeAll(() => {
  assembly = synthGateApp();
  changedAssembly = synthGateApp({ withProdStage: false, withExtraStack: true, alarmThreshold: 90 });
}, 60_000);

afterAll(() => removeScratch(assembly, changedAssembly, ...scratch));

function newBaselineDir(): string {
  const dir = path.join(scratchDir('write-baseline'), 'apps', 'dev', 'baseline');
  scratch.push(path.dirname(path.dirname(path.dirname(dir))));
  return dir;
}

describe('writeBaseline', () => {
  test('copies every non-ephemeral stack template as CDK wrote it, Stage stacks included', () => {
    // GIVEN
    const baselineDir = newBaselineDir();
    const storeId = artifactIdOf(assembly, 'Prod/Store');

    // WHEN
    const update = writeBaseline({ assemblyDir: assembly, baselineDir });

    // THEN
    expect([...update.created].sort()).toEqual(['App', 'Data', storeId].sort());
    expect(update.exempt).toEqual([expect.objectContaining({ stack: 'Review1234', reason: REVIEW_REASON })]);
    expect(readdirSync(baselineDir).sort()).toEqual(['App.template.json', 'Data.template.json', `${storeId}.template.json`].sort());
    expect(readFileSync(path.join(baselineDir, `${storeId}${BASELINE_TEMPLATE_SUFFIX}`), 'utf8')).toBe(
      readFileSync(templateFileOf(assembly, 'Prod/Store'), 'utf8'),
    );
  });

  test('a second refresh updates changed templates, removes stacks that left the app and keeps other files', () => {
    // GIVEN
    const baselineDir = newBaselineDir();
    const storeId = artifactIdOf(assembly, 'Prod/Store');
    writeBaseline({ assemblyDir: assembly, baselineDir });
    writeFileSync(path.join(baselineDir, 'acknowledgements.yaml'), '[]\n');

    // WHEN
    const update = writeBaseline({ assemblyDir: changedAssembly, baselineDir });

    // THEN
    expect(update).toMatchObject({ created: ['Extra'], updated: ['App'], unchanged: ['Data'], removed: [`${storeId}.template.json`] });
    expect(existsSync(path.join(baselineDir, `${storeId}.template.json`))).toBe(false);
    expect(existsSync(path.join(baselineDir, 'acknowledgements.yaml'))).toBe(true);
  });

  test('stacks declared ephemeral in code get no baseline', () => {
    // GIVEN
    const baselineDir = newBaselineDir();

    // WHEN
    const update = writeBaseline({ assemblyDir: assembly, baselineDir, ephemeralStacks: [{ stack: 'App', reason: 'Stateless, rebuilt on every deploy' }] });

    // THEN
    expect(update.created).not.toContain('App');
    expect(update.exempt.map((stack) => [stack.stack, stack.declaredBy])).toEqual([
      ['App', 'declaration'],
      ['Review1234', 'template-metadata'],
    ]);
  });

  test('a missing assembly is an input error and writes nothing', () => {
    // GIVEN
    const baselineDir = newBaselineDir();

    // THEN
    expect(() => writeBaseline({ assemblyDir: '/nonexistent/cdk.out', baselineDir })).toThrow(GateInputError);
    expect(existsSync(baselineDir)).toBe(false);
  });

  test('an ephemeral declaration without a reason is an input error', () => {
    expect(() => writeBaseline({ assemblyDir: assembly, baselineDir: newBaselineDir(), ephemeralStacks: [{ stack: 'App', reason: ' ' }] })).toThrow(
      'ephemeralStacks[0].reason is " " for stack App; say why the stack holds no data worth keeping',
    );
  });
});
