import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { CORE_EMITTED_RESOURCE_TYPES, coreAppContext, listAssemblyStacks } from '@core-infra/policies';
import { buildEnvironmentApp, environmentNames } from '../src';

// The Control Tower decision table covers the resource types in CORE_EMITTED_RESOURCE_TYPES; this
// proves that list holds every type the four environments actually synthesize, so a construct
// cannot add a type whose Control Tower rules nobody has decided on.
test('every resource type the environments synthesize has its Control Tower rules decided', () => {
  const emitted = new Set<string>();
  for (const name of environmentNames()) {
    const outdir = mkdtempSync(path.join(tmpdir(), `types-${name}-`));
    const app = new App({ outdir, context: coreAppContext(), autoSynth: false });
    buildEnvironmentApp(name, { app });
    app.synth();
    for (const stack of listAssemblyStacks(outdir)) {
      const template = JSON.parse(readFileSync(stack.templatePath, 'utf8')) as { Resources: Record<string, { Type: string }> };
      for (const resource of Object.values(template.Resources)) emitted.add(resource.Type);
    }
  }
  const undecided = [...emitted].filter((type) => !CORE_EMITTED_RESOURCE_TYPES.includes(type) && !type.startsWith('Custom::') && type !== 'AWS::CDK::Metadata').sort();
  expect(undecided).toEqual([]);
});
