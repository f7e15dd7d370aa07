import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { coreRulesDirectory, enabledControlTowerRules, groupForMerging, mergeGuardSources, PolicyEngineError, RULE_CATALOGUE, runGuard, type GuardSource } from '../src';

// Merging must change nothing cfn-guard reports. Guard keeps one namespace per file and a later
// `let` silently replaces an earlier one, so these tests run real cfn-guard on merged and separate
// files and compare what it reports.

const dir = mkdtempSync(path.join(tmpdir(), 'merge-rules-'));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function source(name: string, text: string): GuardSource {
  return { path: write(name, text), text };
}

/** What cfn-guard reports for one template: failed, passed and skipped rule names. */
function verdicts(ruleFiles: string[], template: object): { failed: string[]; passed: string[]; skipped: string[] } {
  const data = write(`t-${Math.random().toString(36).slice(2)}.json`, JSON.stringify(template));
  const [result] = runGuard({ ruleFiles, templateFiles: [data], processes: 1 });
  return {
    failed: result.not_compliant.map((e) => (e as { Rule: { name: string } }).Rule.name).sort(),
    passed: [...(result.compliant ?? [])].sort(),
    skipped: [...(result.not_applicable ?? [])].sort(),
  };
}

function merged(sources: GuardSource[]): string {
  return write(`merged-${Math.random().toString(36).slice(2)}.guard`, mergeGuardSources(sources));
}

const BUCKET_RULE = source('bucket.guard', `let things = Resources.*[ Type == 'AWS::S3::Bucket' ]\nrule BUCKET_VERSIONED when %things !empty {\n  %things.Properties.VersioningConfiguration exists\n}\n`);
const TOPIC_RULE = source('topic.guard', `let things = Resources.*[ Type == 'AWS::SNS::Topic' ]\nrule TOPIC_ENCRYPTED when %things !empty {\n  %things.Properties.KmsMasterKeyId exists\n}\n`);
const UNVERSIONED_BUCKET_AND_GOOD_TOPIC = {
  Resources: {
    Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { KmsMasterKeyId: 'alias/aws/sns' } },
  },
};

describe('mergeGuardSources', () => {
  test('a later file’s variable of the same name does not replace an earlier one’s', () => {
    // GIVEN two files that both name their selection `things`, and a template where only the bucket fails
    const separate = verdicts([BUCKET_RULE.path, TOPIC_RULE.path], UNVERSIONED_BUCKET_AND_GOOD_TOPIC);
    // WHEN the files are merged
    const together = verdicts([merged([BUCKET_RULE, TOPIC_RULE])], UNVERSIONED_BUCKET_AND_GOOD_TOPIC);
    // THEN the bucket rule still checks buckets (plain concatenation checks the topic instead and passes)
    expect(separate.failed).toEqual(['BUCKET_VERSIONED']);
    expect(together).toEqual(separate);
    // AND on a template with only the bucket, plain concatenation would skip the bucket rule: fail open
    const onlyBucket = { Resources: { Bucket: UNVERSIONED_BUCKET_AND_GOOD_TOPIC.Resources.Bucket } };
    expect(verdicts([write('concatenated.guard', BUCKET_RULE.text + TOPIC_RULE.text)], onlyBucket).failed).toEqual([]);
    expect(verdicts([merged([BUCKET_RULE, TOPIC_RULE])], onlyBucket).failed).toEqual(['BUCKET_VERSIONED']);
  });

  test('helper rules and their parameters of the same name stay apart', () => {
    // GIVEN two files with a helper `check(x)` that means different things
    const a = source('a.guard', `rule check(x) {\n  %x.Properties.VersioningConfiguration exists\n}\nlet x = Resources.*[ Type == 'AWS::S3::Bucket' ]\nrule A_BUCKETS when %x !empty {\n  check(%x)\n}\n`);
    const b = source('b.guard', `rule check(x) {\n  %x.Properties.KmsMasterKeyId exists\n}\nlet x = Resources.*[ Type == 'AWS::SNS::Topic' ]\nrule B_TOPICS when %x !empty {\n  check(%x)\n}\n`);
    // THEN merged and separate runs agree
    expect(verdicts([merged([a, b])], UNVERSIONED_BUCKET_AND_GOOD_TOPIC)).toEqual(verdicts([a.path, b.path], UNVERSIONED_BUCKET_AND_GOOD_TOPIC));
  });

  test('comments, custom messages and strings are left as written', () => {
    const text = `# let things = keep %things and check( here\nlet things = Resources.*[ Type == 'AWS::S3::Bucket' ]\nrule KEEP_TEXT when %things !empty {\n  %things.Properties.BucketName != "%things check("\n  << [X.1] %things must not be check( >>\n}\n`;
    const out = mergeGuardSources([{ path: 'keep.guard', text }]);
    expect(out).toContain('# let things = keep %things and check( here');
    expect(out).toContain('"%things check("');
    expect(out).toContain('<< [X.1] %things must not be check( >>');
    expect(out).toContain('let things__f0 = ');
    expect(out).toContain('%things__f0.Properties.BucketName');
  });

  test('two files declaring the same rule name are refused, naming both', () => {
    const again = source('bucket-again.guard', BUCKET_RULE.text);
    expect(() => mergeGuardSources([BUCKET_RULE, again])).toThrow(PolicyEngineError);
    expect(() => mergeGuardSources([BUCKET_RULE, again])).toThrow(/BUCKET_VERSIONED is declared in both .*bucket\.guard and .*bucket-again\.guard/);
  });

  test('every CORE and enabled Control Tower rule file merges into one input that cfn-guard parses and reports rule by rule', () => {
    // GIVEN the whole production rule set
    const files = [...RULE_CATALOGUE.map((r) => path.join(coreRulesDirectory(), r.file)), ...enabledControlTowerRules().map((r) => r.path)];
    const sources = files.map((file) => ({ path: file, text: readFileSync(file, 'utf8') }));
    // WHEN merged
    const groups = groupForMerging(sources);
    // THEN one input suffices, and the insecure fixture gets the same verdict from it as from the separate files
    expect(groups).toHaveLength(1);
    const insecure = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'templates', 'insecure.template.json'), 'utf8'));
    const separate = verdicts(files, insecure);
    expect(separate.failed.length).toBeGreaterThan(5);
    expect(verdicts([merged(groups[0])], insecure)).toEqual(separate);
  });
});

describe('groupForMerging', () => {
  test('puts files with clashing rule names into different groups, in order', () => {
    const again = source('bucket-again.guard', BUCKET_RULE.text);
    expect(groupForMerging([BUCKET_RULE, TOPIC_RULE, again]).map((g) => g.map((s) => path.basename(s.path)))).toEqual([['bucket.guard', 'topic.guard'], ['bucket-again.guard']]);
  });
});
