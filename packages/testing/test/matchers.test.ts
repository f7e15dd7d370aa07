import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { coreMatchers, createTestStack } from '../src';

expect.extend(coreMatchers);

describe('toRetainStatefulResources', () => {
  test('passes retained buckets and fails a destroyable one', () => {
    const stack = createTestStack();
    new s3.Bucket(stack, 'Kept');
    expect(Template.fromStack(stack).toJSON()).toRetainStatefulResources();
    const other = createTestStack();
    new s3.Bucket(other, 'Gone', { removalPolicy: RemovalPolicy.DESTROY });
    expect(() => expect(Template.fromStack(other).toJSON()).toRetainStatefulResources()).toThrow(/Gone.*\(AWS::S3::Bucket\): DeletionPolicy Delete/);
  });
});

describe('toHaveNoAdminIamStatements', () => {
  test('fails an Allow * on * statement', () => {
    const stack = createTestStack();
    new iam.ManagedPolicy(stack, 'Admin', { statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
    expect(() => expect(Template.fromStack(stack).toJSON()).toHaveNoAdminIamStatements()).toThrow(/Admin/);
  });

  test('passes a scoped statement', () => {
    const stack = createTestStack();
    new iam.ManagedPolicy(stack, 'Reader', { statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] });
    expect(Template.fromStack(stack).toJSON()).toHaveNoAdminIamStatements();
  });
});

describe('toEnforceTlsOnBuckets', () => {
  test('passes enforceSSL buckets and fails others', () => {
    const stack = createTestStack();
    new s3.Bucket(stack, 'Tls', { enforceSSL: true });
    expect(Template.fromStack(stack).toJSON()).toEnforceTlsOnBuckets();
    new s3.Bucket(stack, 'Open');
    expect(() => expect(Template.fromStack(stack).toJSON()).toEnforceTlsOnBuckets()).toThrow(/Open/);
  });
});

describe('toPassPolicies', () => {
  test('fails with the findings and passes a stack with nothing to object to', () => {
    const bad = createTestStack();
    new s3.Bucket(bad, 'Plain');
    expect(() => expect(bad).toPassPolicies()).toThrow(/expected no policy findings, got \d+:\nCORE\.S3\./);
    const good = createTestStack();
    new CfnResource(good, 'Handle', { type: 'AWS::CloudFormation::WaitConditionHandle' });
    expect(good).toPassPolicies();
  });
});
