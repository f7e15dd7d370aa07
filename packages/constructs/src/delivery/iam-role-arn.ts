import { Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { propsError } from '../shared/errors';

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Checks that every value is the ARN of one named IAM role, so that trust policies, resource
 * policies and `sts:AssumeRole` grants built from them never widen to a wildcard or a whole
 * account. Unresolved tokens are accepted: they are references CloudFormation fills in.
 *
 * @param scope the construct whose props these are, named in the error
 * @param propName the prop the values came from, named in the error
 * @param arns the role ARNs to check
 * @throws a {@link propsError} naming the prop, the bad value and the expected form
 */
export function assertRoleArns(scope: IConstruct, propName: string, arns: readonly string[]): void {
  for (const arn of arns) {
    if (Token.isUnresolved(arn)) continue;
    if (arn.includes('*') || arn.includes('?')) {
      throw propsError(scope, `${propName} must name roles exactly, got "${arn}": wildcards would trust every matching role; list each role ARN instead`);
    }
    if (!ROLE_ARN.test(arn)) {
      throw propsError(scope, `${propName} must contain IAM role ARNs of the form arn:aws:iam::<12-digit account>:role/<name>, got "${arn}": pass the role's full ARN, not an account id, user or root ARN`);
    }
  }
}

