import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CfnWaitConditionHandle, Validations } from 'aws-cdk-lib';
import { acknowledgeFinding } from '@core-infra/policies';
import { createTestStack, expectToPassPolicies, policyProblems, synthesizeWithPolicies } from '../src';

describe('synthesizeWithPolicies', () => {
  test('reports every finding with its rule, construct and fix instead of throwing', () => {
    // GIVEN a bucket with nothing configured
    const stack = createTestStack();
    new s3.Bucket(stack, 'Plain');
    // WHEN
    const result = synthesizeWithPolicies(stack);
    // THEN
    expect(result.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['CORE.S3.1', 'CORE.S3.2', 'CORE.S3.3', 'CT.S3.PR.5']));
    expect(result.findings.find((f) => f.ruleId === 'CORE.S3.1')).toMatchObject({ constructPath: 'TestStack/Plain/Resource', fix: expect.any(String) });
    expect(Object.keys(result.templates)).toEqual(['TestStack']);
  });

  test('still validates an app that Template.fromStack already synthesized', () => {
    const stack = createTestStack();
    new s3.Bucket(stack, 'Plain');
    Template.fromStack(stack);
    expect(synthesizeWithPolicies(stack).findings.length).toBeGreaterThan(0);
  });

  test('lists acknowledged findings with their reason', () => {
    const stack = createTestStack();
    const topic = new sns.Topic(stack, 'Topic');
    acknowledgeFinding(topic, { id: 'CORE.SNS.1', reason: 'test topic without data at rest' });
    const result = synthesizeWithPolicies(stack);
    expect(result.acknowledged).toEqual([expect.objectContaining({ ruleId: 'CORE.SNS.1', reason: 'test topic without data at rest' })]);
    expect(result.findings.map((f) => f.ruleId)).not.toContain('CORE.SNS.1');
  });

  test("refuses CDK's Validations.acknowledge of a CORE rule, which core-policies check cannot see", () => {
    const stack = createTestStack();
    const topic = new sns.Topic(stack, 'Topic');
    Validations.of(topic).acknowledge({ id: 'core-policies::CORE.SNS.1', reason: 'test topic without data at rest' });
    expect(synthesizeWithPolicies(stack).findings.map((f) => f.ruleId)).toContain('CORE.ACK.3');
  });
});

describe('expectToPassPolicies', () => {
  test('throws listing each finding', () => {
    const stack = createTestStack();
    new s3.Bucket(stack, 'Plain');
    expect(() => expectToPassPolicies(stack)).toThrow(/CORE\.S3\.1 .* — TestStack\/Plain\/Resource \(fix: /);
  });

  test('refuses acknowledgements unless allowed', () => {
    const stack = createTestStack();
    const topic = new sns.Topic(stack, 'Topic');
    acknowledgeFinding(topic, { id: 'CORE.SNS.1', reason: 'test topic without data at rest' });
    expect(policyProblems(stack)).toEqual([expect.stringMatching(/^acknowledged CORE\.SNS\.1 .*defaults must pass without acknowledgements/)]);
    expect(policyProblems(stack, { allowAcknowledgements: true })).toEqual([]);
  });

  test('passes a stack with nothing to object to', () => {
    const stack = createTestStack();
    new CfnWaitConditionHandle(stack, 'Handle');
    expect(() => expectToPassPolicies(stack)).not.toThrow();
  });
});
