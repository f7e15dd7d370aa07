import { guardRules } from './guard-rules';
import { type RuleMetadata } from './types';

/** CORE guard rules for AWS WAFv2 web ACLs (`rules/waf/`). */
export const WAF_RULES: readonly RuleMetadata[] = guardRules('waf', [
  {
    id: 'CORE.WAF.1',
    ruleName: 'WAFV2_WEB_ACL_MANAGED_RULE_GROUPS',
    title: 'WAF web ACLs apply the AWS core and known-bad-inputs rule groups',
    severity: 'high',
    description:
      'Every web ACL uses the AWS managed rule groups AWSManagedRulesCommonRuleSet and ' +
      'AWSManagedRulesKnownBadInputsRuleSet, and none of its managed rule groups is switched to count-only with ' +
      'OverrideAction Count. Single rules inside a group may still be overridden, as CORE does for ' +
      'SizeRestrictions_BODY to allow bulk uploads.',
    remediation:
      'Add both managed rule groups with OverrideAction None and override individual rules with RuleActionOverrides ' +
      'where needed.',
    resourceTypes: ['AWS::WAFv2::WebACL'],
    nistControls: ['SC-7', 'SI-4', 'SI-10'],
  },
  {
    id: 'CORE.WAF.2',
    ruleName: 'WAFV2_WEB_ACL_RATE_LIMITED',
    title: 'WAF web ACLs rate-limit clients',
    severity: 'medium',
    description:
      'Every web ACL has at least one rate-based rule whose action blocks (or challenges) clients over the limit, ' +
      'limiting credential stuffing against the sign-in, two-factor and password-reset pages and request floods from ' +
      'a single address. A rate-based rule in Count mode does not count.',
    remediation:
      'Add a RateBasedStatement rule (aggregate key IP) with a Block action and a 429 custom response, as CORE does ' +
      'for login paths (100 per 5 minutes) and overall traffic (2000 per 5 minutes).',
    resourceTypes: ['AWS::WAFv2::WebACL'],
    nistControls: ['AC-7', 'SC-5', 'SC-7'],
  },
  {
    id: 'CORE.WAF.3',
    ruleName: 'WAFV2_WEB_ACL_LOGGING_ENABLED',
    title: 'WAF web ACLs have a logging configuration',
    severity: 'medium',
    description:
      'Every web ACL is the ResourceArn (Fn::GetAtt Arn) of an AWS::WAFv2::LoggingConfiguration in the same template ' +
      'with at least one log destination, so blocked requests, rate-limit hits and false positives can be ' +
      'investigated; the current service has no WAF logging. Cross-resource: a logging configuration in another stack ' +
      'or naming the web ACL by literal ARN cannot be matched and needs a recorded suppression, and the destination ' +
      'itself is not inspected. A finding names the unlogged web ACL, never the logging configurations of other web ACLs.',
    remediation:
      'Add a CfnLoggingConfiguration with resourceArn: webAcl.attrArn and an aws-waf-logs- log group as destination.',
    resourceTypes: ['AWS::WAFv2::WebACL', 'AWS::WAFv2::LoggingConfiguration'],
    nistControls: ['AU-2', 'AU-3', 'AU-12', 'SI-4'],
  },
]);
