import type { RuleMetadata } from '../catalogue/types';
import type { Finding } from './finding';

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
    id: 'CORE.ENGINE.2',
    ruleName: 'EVERY_RULE_EVALUATED',
    file: 'engine:coverage',
    title: 'Every rule of the profile was evaluated on every template',
    severity: 'critical',
    description:
      'cfn-guard must report every rule of every rule file (pass, fail or skip) for every template. A rule file that was emptied, or whose rule was renamed, still parses but checks nothing; without this proof the report would keep claiming the full rule count.',
    remediation: 'Restore the rule named in the message (its .guard file must declare the rule name the catalogue lists) and synthesize again.',
    resourceTypes: [],
    nistControls: ['SI-6', 'CA-7'],
    profile: 'baseline',
  },
  {
    id: 'CORE.ENGINE.3',
    ruleName: 'EVERY_STACK_CHECKED',
    file: 'engine:stacks',
    title: 'Every stack of the assembly was checked, and every stack validated at synthesis is still there',
    severity: 'critical',
    description:
      'With --require-plugin, the stacks in manifest.json and the templates the plugin recorded at synthesis (core-policies-run.json) must be the same set: a stack missing from the record was never validated at synthesis, and a stack missing from the manifest was removed from the assembly after it.',
    remediation: 'Synthesize the assembly again with the app (applyCorePolicies registers the plugin) instead of editing cdk.out.',
    resourceTypes: [],
    nistControls: ['SI-6', 'CM-3'],
    profile: 'baseline',
  },
  {
    id: 'CORE.ENGINE.4',
    ruleName: 'SOMETHING_CHECKED',
    file: 'engine:inputs',
    title: 'At least one template was checked',
    severity: 'critical',
    description: 'An assembly with no stacks validates nothing: an app that synthesized nothing by mistake must not pass. Pass --allow-empty when an empty input is intended.',
    remediation: 'Check that the app adds its stacks (and that cdk synth ran), or pass --allow-empty (allowEmpty in the plugin options) when nothing to check is expected.',
    resourceTypes: [],
    nistControls: ['SI-6'],
    profile: 'baseline',
  },
  {
    id: 'CORE.ACK.1',
    ruleName: 'ACKNOWLEDGEMENT_HAS_REASON',
    file: 'engine:acknowledgements',
    title: 'Every acknowledgement has a real reason',
    severity: 'critical',
    description:
      'An acknowledgement hides a finding from the report; a bare suppression (a rule name in Metadata.guard.SuppressedRules without a reason) or a reason shorter than 20 characters is ignored and reported, because nobody could later tell whether it still applies.',
    remediation: "Write the acknowledgement as { id, reason } with a reason of at least 20 characters: acknowledgeFinding(resource, { id: 'CORE.S3.2', reason: '…' }).",
    resourceTypes: [],
    nistControls: ['CA-7'],
    profile: 'baseline',
  },
  {
    id: 'CORE.ACK.2',
    ruleName: 'ACKNOWLEDGEMENT_ALLOWED',
    file: 'engine:acknowledgements',
    title: 'Critical rules and engine checks are never acknowledged',
    severity: 'critical',
    description: 'A critical finding (public data, admin access, a check that did not run) has no acceptable exception in CORE; its acknowledgement is refused and the finding stays open.',
    remediation: 'Fix the resource instead; if the rule is wrong for this case, change the rule in @core-infra/policies with a review.',
    resourceTypes: [],
    nistControls: ['CA-7', 'AC-6'],
    profile: 'baseline',
  },
  {
    id: 'CORE.ACK.3',
    ruleName: 'ACKNOWLEDGEMENT_SCOPED',
    file: 'engine:acknowledgements',
    title: 'Acknowledgements sit on the violating resource',
    severity: 'critical',
    description:
      'An acknowledgement at App, Stage, Stack or template level would hide a rule for every present and future resource. Acknowledgements live in the Metadata of the resource that violates the rule, where the template and its committed baseline show them; CDK Validations.acknowledge of a core-policies rule is refused because core-policies check cannot see it.',
    remediation: "Call acknowledgeFinding(construct, { id, reason }) on the resource (or a construct below stack level that contains it) instead of Validations.of(scope).acknowledge.",
    resourceTypes: [],
    nistControls: ['CA-7'],
    profile: 'baseline',
  },
  {
    id: 'CORE.ACK.4',
    ruleName: 'ACKNOWLEDGEMENT_NAMES_A_RULE',
    file: 'engine:acknowledgements',
    title: 'Acknowledgements name a rule that ran',
    severity: 'critical',
    description: 'An acknowledgement of an id no rule has (a typo, a wildcard, a rule of another profile) hides nothing and would hide the wrong thing if such a rule appeared.',
    remediation: 'Use the id the finding shows (the message suggests the closest one), e.g. CORE.S3.2 or CT.S3.PR.1.',
    resourceTypes: [],
    nistControls: ['CA-7'],
    profile: 'baseline',
  },
  {
    id: 'CORE.ACK.5',
    ruleName: 'ACKNOWLEDGEMENT_NOT_STALE',
    file: 'engine:acknowledgements',
    title: 'Every acknowledgement still matches a finding',
    severity: 'critical',
    description: 'An acknowledgement whose finding no longer fires is stale: left in place it would silently hide the finding when it returns.',
    remediation: 'Remove the acknowledgement from the resource.',
    resourceTypes: [],
    nistControls: ['CA-7'],
    profile: 'baseline',
  },
];

/** Ids of the engine checks, for the code that raises them. */
export const ENGINE_CHECK_IDS = {
  /** Template within CloudFormation's size limit. */
  templateSize: 'CORE.TEMPLATE.1',
  /** Stack within CloudFormation's resource limit. */
  resourceCount: 'CORE.TEMPLATE.2',
  /** The engine ran at all. */
  engineRan: 'CORE.ENGINE.1',
  /** Every rule was evaluated on every template. */
  ruleCoverage: 'CORE.ENGINE.2',
  /** Manifest and plugin run record list the same stacks. */
  stackCoverage: 'CORE.ENGINE.3',
  /** At least one template was checked. */
  somethingChecked: 'CORE.ENGINE.4',
  /** An acknowledgement has a reason. */
  ackReason: 'CORE.ACK.1',
  /** Critical rules and engine checks are not acknowledged. */
  ackRefused: 'CORE.ACK.2',
  /** Acknowledgements sit on the violating resource. */
  ackScope: 'CORE.ACK.3',
  /** An acknowledgement names a rule that ran. */
  ackUnknown: 'CORE.ACK.4',
  /** An acknowledgement still matches a finding. */
  ackStale: 'CORE.ACK.5',
} as const;

/**
 * The metadata of an engine check.
 *
 * @param id one of {@link ENGINE_CHECK_IDS}
 * @throws Error when the id is not an engine check (a programming error)
 */
export function engineCheck(id: string): RuleMetadata {
  const check = ENGINE_CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`${id} is not an engine check`);
  return check;
}

/**
 * A finding raised by the engine itself.
 *
 * @param id one of {@link ENGINE_CHECK_IDS}
 * @param templatePath the template (or assembly) the finding is about
 * @param message what is wrong
 * @param where the resource, when there is one, and a fix that overrides the check's remediation
 */
export function engineFinding(
  id: string,
  templatePath: string,
  message: string,
  where: { readonly logicalId?: string; readonly resourceType?: string; readonly locations?: readonly string[]; readonly fix?: string } = {},
): Finding {
  const check = engineCheck(id);
  return {
    ruleId: check.id,
    ruleName: check.ruleName,
    severity: check.severity,
    message,
    fix: where.fix ?? check.remediation,
    templatePath,
    logicalId: where.logicalId,
    resourceType: where.resourceType,
    locations: where.locations ?? [],
    source: 'engine',
  };
}
