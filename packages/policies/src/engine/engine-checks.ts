import type { RuleMetadata } from '../catalogue/types';

/** CloudFormation's limit on a template uploaded through S3, as CDK deploys them. */
export const MAX_TEMPLATE_BYTES = 1_048_576;

/** CloudFormation's limit on resources in one stack. */
export const MAX_RESOURCES_PER_STACK = 500;

/**
 * Checks the engine runs itself because Guard cannot express them (a template's size) or
 * because they protect the check itself (acknowledgement reasons). They appear in reports and
 * the rule catalogue like guard rules, with `file` naming the engine module.
 */
export const ENGINE_CHECKS: readonly RuleMetadata[] = [
  {
    id: 'CORE.TEMPLATE.1',
    ruleName: 'TEMPLATE_WITHIN_SIZE_LIMIT',
    file: 'engine:template-size',
    title: 'Template is within the CloudFormation size limit',
    severity: 'high',
    description: `A template larger than ${MAX_TEMPLATE_BYTES} bytes is rejected by CloudFormation at deploy time, after a pull request has already merged.`,
    remediation: 'Split the stack (for example move per-review-app resources into their own stacks) or remove repeated resources.',
    resourceTypes: ['AWS::CloudFormation::Stack'],
    nistControls: ['CM-3'],
    profile: 'baseline',
  },
  {
    id: 'CORE.TEMPLATE.2',
    ruleName: 'TEMPLATE_WITHIN_RESOURCE_LIMIT',
    file: 'engine:resource-count',
    title: 'Stack has at most 500 resources',
    severity: 'high',
    description: `CloudFormation rejects a stack with more than ${MAX_RESOURCES_PER_STACK} resources at deploy time.`,
    remediation: 'Split the stack by lifecycle or per review app so that each holds fewer resources.',
    resourceTypes: ['AWS::CloudFormation::Stack'],
    nistControls: ['CM-3'],
    profile: 'baseline',
  },
  {
    id: 'CORE.ENGINE.1',
    ruleName: 'POLICY_ENGINE_RAN',
    file: 'engine:run',
    title: 'The policy engine evaluated every template',
    severity: 'critical',
    description: 'If cfn-guard is missing, cannot run, cannot parse a rule file or skips a template, nothing was checked; the check fails instead of passing silently.',
    remediation: 'Fix what the message names (reinstall dependencies with npm ci, repair the rule file) and synthesize again.',
    resourceTypes: [],
    nistControls: ['SI-6'],
    profile: 'baseline',
  },
  {
    id: 'CORE.ACK.1',
    ruleName: 'ACKNOWLEDGEMENT_HAS_REASON',
    file: 'engine:acknowledgements',
    title: 'Every acknowledged finding has a real reason',
    severity: 'critical',
    description: 'An acknowledgement hides a finding from the report; without a reason of at least 10 characters nobody can later tell whether it still applies. This finding cannot itself be acknowledged.',
    remediation: 'Pass a reason of at least 10 characters to Validations.of(scope).acknowledge({ id, reason }) saying why the finding is acceptable.',
    resourceTypes: [],
    nistControls: ['CA-7'],
    profile: 'baseline',
  },
];
