import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { createTestStack, normalizeTemplate, templateSnapshotSerializer } from '../src';

function lambdaTemplate(code: string, memorySize = 128): Record<string, unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), 'asset-'));
  writeFileSync(path.join(dir, 'index.js'), code);
  const stack = createTestStack();
  new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(dir), memorySize });
  return Template.fromStack(stack).toJSON();
}

describe('normalizeTemplate', () => {
  test('two synths differing only in asset hashes compare equal', () => {
    const a = lambdaTemplate('exports.handler = async () => 1;');
    const b = lambdaTemplate('exports.handler = async () => 2;');
    expect(JSON.stringify(a)).not.toEqual(JSON.stringify(b));
    expect(normalizeTemplate(a)).toEqual(normalizeTemplate(b));
  });

  test('CDK version data and bootstrap references are normalized away', () => {
    const a = lambdaTemplate('exports.handler = async () => 1;');
    const b = JSON.parse(JSON.stringify(a));
    b.Resources.CDKMetadata = { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:H4sIAAAAAAAA/other-version' } };
    b.Parameters.BootstrapVersion = { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/abcdefghi/version' };
    const serialized = JSON.stringify(normalizeTemplate(b));
    expect(normalizeTemplate(a)).toEqual(normalizeTemplate(b));
    expect(serialized).not.toMatch(/hnb659fds|[a-f0-9]{64}/);
  });

  test('a real property change does not compare equal', () => {
    const a = lambdaTemplate('exports.handler = async () => 1;', 128);
    const b = lambdaTemplate('exports.handler = async () => 1;', 256);
    expect(normalizeTemplate(a)).not.toEqual(normalizeTemplate(b));
  });

  test('does not modify its input', () => {
    const a = lambdaTemplate('exports.handler = async () => 1;');
    const copy = JSON.parse(JSON.stringify(a));
    normalizeTemplate(a);
    expect(a).toEqual(copy);
  });
});

describe('templateSnapshotSerializer', () => {
  beforeAll(() => expect.addSnapshotSerializer(templateSnapshotSerializer));

  test('prints templates normalized in inline snapshots', () => {
    const template = { Resources: { Key: { Type: 'AWS::S3::Bucket', Properties: { Tag: 'a'.repeat(64) } } }, Parameters: { BootstrapVersion: { Type: 'String' } } };
    expect(template).toMatchInlineSnapshot(`
{
  "Resources": {
    "Key": {
      "Properties": {
        "Tag": "[ASSET_HASH]",
      },
      "Type": "AWS::S3::Bucket",
    },
  },
}
`);
  });

  test('ignores values that are not templates', () => {
    expect(templateSnapshotSerializer.test({ a: 1 })).toBe(false);
    expect(templateSnapshotSerializer.test('x')).toBe(false);
  });
});
