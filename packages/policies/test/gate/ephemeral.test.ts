import { Template } from 'aws-cdk-lib/assertions';
import { createTestStack } from '@core-infra/testing';
import { CfnWaitConditionHandle } from 'aws-cdk-lib';
import { declareEphemeralStack } from '../../src';
import { declaredLifecycle } from '../../src/gate/templates';

describe('declareEphemeralStack', () => {
  test('writes the declaration the gate and the stateful rule read', () => {
    // GIVEN
    const stack = createTestStack();
    new CfnWaitConditionHandle(stack, 'Handle');
    // WHEN
    declareEphemeralStack(stack, 'review app 7: destroyed when its pull request closes');
    // THEN
    const template = Template.fromStack(stack).toJSON();
    expect(template.Metadata).toEqual({ CoreInfra: { Lifecycle: 'ephemeral', Reason: 'review app 7: destroyed when its pull request closes' } });
    expect(declaredLifecycle(template, 'template.json')).toBe('review app 7: destroyed when its pull request closes');
  });

  test('fails a reason too short to explain anything', () => {
    expect(() => declareEphemeralStack(createTestStack(), 'temp')).toThrow(/at least 20 characters\), got "temp"/);
  });
});
