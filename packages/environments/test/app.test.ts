import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { listAssemblyStacks } from '@core-infra/policies';
import { buildEnvironmentApp } from '../src';

// The CDK CLI asks every app for its analytics blob (AWS::CDK::Metadata), which changes with any
// change and rewrote every committed baseline; the environment apps turn it off.

const CLI_CONTEXT = JSON.stringify({ 'aws:cdk:version-reporting': true });

function resourceTypes(outdir: string): string[] {
  return listAssemblyStacks(outdir).flatMap((stack) => Object.values((JSON.parse(readFileSync(stack.templatePath, 'utf8')) as { Resources: Record<string, { Type: string }> }).Resources).map((r) => r.Type));
}

describe('buildEnvironmentApp', () => {
  const saved = process.env.CDK_CONTEXT_JSON;
  beforeEach(() => {
    process.env.CDK_CONTEXT_JSON = CLI_CONTEXT;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK_CONTEXT_JSON;
    else process.env.CDK_CONTEXT_JSON = saved;
  });

  test('a plain App run by the CLI writes the analytics metadata (the case this guards against)', () => {
    const app = new App({ autoSynth: false });
    new Stack(app, 'Plain');
    expect(resourceTypes(app.synth().directory)).toContain('AWS::CDK::Metadata');
  });

  test('synthesizes no AWS::CDK::Metadata even when the CLI asks for version reporting', () => {
    const app = buildEnvironmentApp('meta');
    expect(resourceTypes(app.synth().directory)).not.toContain('AWS::CDK::Metadata');
  });
});
