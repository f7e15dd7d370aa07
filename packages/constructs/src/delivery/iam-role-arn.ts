import { Token } from 'aws-cdk-lib';

const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Checks that every value is the ARN of one named IAM role, so that trust policies, resource
 * policies and `sts:AssumeRole` grants built from them never widen to a wildcard or a whole
 * account. Unresolved tokens are accepted: they are references CloudFormation fills in.
 *
 * @param propName the prop the values came from, named in the error
 * @param arns the role ARNs to check
 * @throws Error naming the prop, the bad value and the expected form
 */
export function assertRoleArns(propName: string, arns: readonly string[]): void {
  for (const arn of arns) {
    if (Token.isUnresolved(arn)) continue;
    if (arn.includes('*') || arn.includes('?')) {
      throw new Error(`${propName} must name roles exactly, got "${arn}": wildcards would trust every matching role; list each role ARN instead`);
    }
    if (!ROLE_ARN.test(arn)) {
      throw new Error(`${propName} must contain IAM role ARNs of the form arn:aws:iam::<12-digit account>:role/<name>, got "${arn}": pass the role's full ARN, not an account id, user or root ARN`);
    }
  }
}

