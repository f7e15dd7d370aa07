import type { RiskRule, RiskViolation } from '../../risk-rule';
import { asList, DEPLOY_TIME, isObject, renderString, type JsonObject } from '../../values';

// Layer-4 listeners (Network Load Balancer) cannot read a header; their reachability is the
// security groups' and prefix lists' (CORE.NET.1).
const LAYER_4_PROTOCOLS: ReadonlySet<string> = new Set(['TCP', 'TLS', 'UDP', 'TCP_UDP', 'QUIC', 'TCP_QUIC']);
const REFUSING_ACTIONS: ReadonlySet<string> = new Set(['fixed-response', 'redirect']);

/** CORE.NET.3: the origin load balancer serves only requests that carry CloudFront's origin header. */
export const ORIGIN_ONLY_THROUGH_CLOUDFRONT: RiskRule = {
  id: 'CORE.NET.3',
  ruleName: 'ORIGIN_ONLY_THROUGH_CLOUDFRONT',
  file: 'engine:risk/network/origin-only-through-cloudfront',
  title: 'The load balancer forwards only requests that carry CloudFront’s origin header',
  severity: 'high',
  description:
    'Application Load Balancer listeners are HTTPS on port 443, or HTTP whose every default action redirects to ' +
    'HTTPS; any other port or protocol fails. An HTTPS listener’s default actions only refuse (fixed-response) or ' +
    'redirect, never forward or authenticate, and every listener rule that forwards has an http-header condition ' +
    '(HttpHeaderConfig with a header name and a value that is not only wildcards), so only requests carrying the ' +
    'secret header CloudFront adds reach the app, and the WAF on the distribution cannot be bypassed. Network Load ' +
    'Balancer listeners (TCP, TLS, UDP, TCP_UDP, QUIC) and Gateway Load Balancer listeners (no protocol) are not ' +
    'checked: they cannot read headers, so their exposure is decided by security groups and prefix lists (CORE.NET.1).',
  remediation:
    'Listen on HTTPS 443 with a fixed 403 default action (ListenerAction.fixedResponse(403)) and forward only from ' +
    "listener rules with ListenerCondition.httpHeader('X-CLOUDFRONT-HEADER', [secret value]); redirect plain HTTP to HTTPS.",
  resourceTypes: ['AWS::ElasticLoadBalancingV2::Listener', 'AWS::ElasticLoadBalancingV2::ListenerRule'],
  nistControls: ['AC-4', 'SC-7', 'SC-7(11)', 'SC-8'],
  profile: 'baseline',
  check: (resource) => (resource.type === 'AWS::ElasticLoadBalancingV2::ListenerRule' ? listenerRule(resource.properties) : listener(resource.properties)),
};

function listener(properties: JsonObject): RiskViolation[] {
  const protocol = renderString(properties.Protocol)?.toUpperCase();
  if (protocol === undefined || LAYER_4_PROTOCOLS.has(protocol)) return [];
  const actions = asList(properties.DefaultActions).map((action) => (isObject(action) ? action : {}));
  if (protocol === 'HTTP') {
    return actions.flatMap((action, i) => {
      if (redirectTarget(action) === 'HTTPS') return [];
      const field = actionType(action) === 'redirect' ? 'RedirectConfig.Protocol' : 'Type';
      return [{ message: `the HTTP listener’s DefaultActions[${i}] is ${describeAction(action)}, not a redirect to HTTPS`, location: `Properties.DefaultActions[${i}].${field}` }];
    });
  }
  const port = renderString(properties.Port);
  if (protocol !== 'HTTPS' || port !== '443') {
    return [{ message: `the listener is ${printable(protocol)} on port ${printable(port)}; the origin listens only on HTTPS 443 (and HTTP redirecting to it)`, location: protocol === 'HTTPS' ? 'Properties.Port' : 'Properties.Protocol' }];
  }
  return actions.flatMap((action, i) =>
    REFUSING_ACTIONS.has(actionType(action))
      ? []
      : [{ message: `the HTTPS listener’s DefaultActions[${i}] is ${describeAction(action)}: requests without CloudFront’s origin header would reach a target`, location: `Properties.DefaultActions[${i}].Type` }],
  );
}

function listenerRule(properties: JsonObject): RiskViolation[] {
  if (!asList(properties.Actions).some((action) => isObject(action) && actionType(action) === 'forward')) return [];
  const conditions = asList(properties.Conditions);
  const headerChecks = conditions.flatMap((condition, i) => (isObject(condition) && renderString(condition.Field) === 'http-header' ? [{ condition, i }] : []));
  if (headerChecks.length === 0) {
    return [{ message: 'the rule forwards without an http-header condition on CloudFront’s origin header', location: 'Properties.Conditions' }];
  }
  // Values are alternatives: one that matches anything makes the whole condition match anything.
  const violations: RiskViolation[] = [];
  for (const { condition, i } of headerChecks) {
    const config = isObject(condition.HttpHeaderConfig) ? condition.HttpHeaderConfig : {};
    const values = asList(config.Values);
    if (!renderString(config.HttpHeaderName) || values.length === 0) {
      violations.push({ message: `Conditions[${i}] names no header or no value to match`, location: `Properties.Conditions[${i}].HttpHeaderConfig` });
      continue;
    }
    values.forEach((value, j) => {
      const text = renderString(value);
      if (text !== undefined && /^[*?]+$/.test(text)) {
        violations.push({ message: `Conditions[${i}] accepts header value "${text}", which any request can send`, location: `Properties.Conditions[${i}].HttpHeaderConfig.Values[${j}]` });
      }
    });
  }
  return violations;
}

function actionType(action: JsonObject): string {
  return renderString(action.Type)?.toLowerCase() ?? '';
}

// Without RedirectConfig.Protocol the redirect keeps the request's own protocol (#{protocol}).
function redirectTarget(action: JsonObject): string | undefined {
  if (actionType(action) !== 'redirect') return undefined;
  const protocol = isObject(action.RedirectConfig) ? renderString(action.RedirectConfig.Protocol) : undefined;
  return (protocol ?? '#{protocol}').toUpperCase();
}

function describeAction(action: JsonObject): string {
  const type = actionType(action);
  if (type !== 'redirect') return type || 'an action without a type';
  return `a redirect to ${printable(redirectTarget(action))}`;
}

// Deploy-time parts render as a marker character; show them as a placeholder instead.
function printable(text: string | undefined): string {
  return text === undefined ? '(none)' : text.split(DEPLOY_TIME).join('${…}');
}
