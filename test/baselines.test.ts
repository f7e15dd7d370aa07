import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// A baseline diff must show only what changed: no committed baseline carries the CDK analytics
// blob (AWS::CDK::Metadata), which changes with every change.
const root = path.resolve(__dirname, '..');

test.each(['meta', 'dev', 'staging', 'production'])('the %s baselines carry no AWS::CDK::Metadata', (app) => {
  const dir = path.join(root, 'apps', app, 'baseline');
  const templates = readdirSync(dir).filter((f) => f.endsWith('.template.json'));
  expect(templates.length).toBeGreaterThan(0);
  const withAnalytics = templates.filter((f) => readFileSync(path.join(dir, f), 'utf8').includes('AWS::CDK::Metadata'));
  expect(withAnalytics).toEqual([]);
});
