import type { TemplateFile } from './evaluate';
import type { AcknowledgedFinding, Finding } from './finding';
import type { RuleDescriptor } from './guard-output';
import { ENGINE_CHECK_IDS, engineFinding } from './engine-checks';
import { closestMatch } from './closest-match';
// One minimum for every acknowledgement, of a finding or of a destructive change.
import { MIN_ACKNOWLEDGEMENT_REASON_LENGTH } from '../gate/acknowledgements';

/**
 * One acknowledgement as written in a resource's `Metadata.guard.SuppressedRules`: the rule's id
 * (`CORE.S3.2`, `CT.S3.PR.1`) or guard rule name, and why the finding is acceptable.
 */
export interface TemplateAcknowledgement {
  /** Rule id or guard rule name. */
  readonly id: string;
  /** Why the finding is acceptable, at least {@link MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters. */
  readonly reason: string;
}

/** The rules an acknowledgement may name: every rule that ran, by id and by rule name. */
export interface AcknowledgeableRules {
  /** Finds a rule that ran by id or rule name. */
  readonly resolve: (idOrRuleName: string) => RuleDescriptor | undefined;
  /** Every id and rule name that {@link resolve} knows, to suggest the closest one. */
  readonly names: readonly string[];
}

/** Findings split by the acknowledgements in the templates. */
export interface AcknowledgementOutcome {
  /** Findings nobody acknowledged, plus a finding for every refused, unknown or stale acknowledgement. */
  readonly open: Finding[];
  /** Findings acknowledged with a reason. */
  readonly acknowledged: AcknowledgedFinding[];
}

interface WrittenAcknowledgement {
  readonly templatePath: string;
  readonly logicalId: string;
  readonly resourceType?: string;
  readonly constructPath?: string;
  readonly ruleId: string;
  readonly written: string;
  readonly reason: string;
  used: boolean;
}

/**
 * Applies the acknowledgements written in the templates themselves, the one source the CDK
 * plugin and `core-policies check` share: both read what deploys (and what the committed
 * baselines show a reviewer), never a report file beside it.
 *
 * An acknowledgement counts only on the resource that violates the rule, with a reason; it is
 * refused (and the finding stays open) for critical and engine rules. A bare rule name, a short
 * reason, an acknowledgement at template level, an id no rule that ran has, and one that matched
 * no finding each become a critical engine finding that cannot itself be acknowledged.
 *
 * @param findings every finding of the evaluation
 * @param templates the evaluated templates
 * @param rules the rules that ran
 */
export function applyAcknowledgements(findings: readonly Finding[], templates: readonly TemplateFile[], rules: AcknowledgeableRules): AcknowledgementOutcome {
  const problems: Finding[] = [];
  const written: WrittenAcknowledgement[] = [];
  for (const file of templates) readAcknowledgements(file, rules, written, problems);

  const open: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  for (const finding of findings) {
    const match = written.find((ack) => ack.ruleId === finding.ruleId && ack.logicalId === finding.logicalId && ack.templatePath === finding.templatePath);
    if (!match) {
      open.push(finding);
      continue;
    }
    match.used = true;
    acknowledged.push({ ...finding, reason: match.reason, acknowledgedAt: match.constructPath ?? match.logicalId });
  }
  for (const ack of written.filter((a) => !a.used)) {
    problems.push(
      ackFinding(ENGINE_CHECK_IDS.ackStale, ack, `acknowledgement of ${ack.written} on ${ack.logicalId} matched no finding: the rule passes or does not apply to this resource`),
    );
  }
  return { open: [...open, ...problems], acknowledged };
}

function readAcknowledgements(file: TemplateFile, rules: AcknowledgeableRules, into: WrittenAcknowledgement[], problems: Finding[]): void {
  const templatePath = file.displayPath ?? file.path;
  const template = asObject(file.template);
  const topLevel = suppressedRules(template?.Metadata);
  if (topLevel !== undefined) {
    problems.push(
      engineFinding(ENGINE_CHECK_IDS.ackScope, templatePath, 'the template\'s own Metadata.guard.SuppressedRules would hide findings on every resource: it is refused', {
        fix: 'Move each acknowledgement to the Metadata.guard.SuppressedRules of the resource that violates the rule.',
      }),
    );
  }
  for (const [logicalId, value] of Object.entries(asObject(template?.Resources) ?? {})) {
    const resource = asObject(value);
    const entries = suppressedRules(resource?.Metadata);
    if (entries === undefined) continue;
    const where = {
      templatePath,
      logicalId,
      resourceType: typeof resource?.Type === 'string' ? resource.Type : undefined,
      constructPath: typeof asObject(resource?.Metadata)?.['aws:cdk:path'] === 'string' ? (asObject(resource?.Metadata)?.['aws:cdk:path'] as string) : undefined,
    };
    if (!Array.isArray(entries)) {
      problems.push(ackFinding(ENGINE_CHECK_IDS.ackReason, where, `Metadata.guard.SuppressedRules of ${logicalId} is not a list of { id, reason } entries`));
      continue;
    }
    for (const entry of entries) {
      const ack = readEntry(entry, where, rules, problems);
      if (ack) into.push({ ...where, ...ack, used: false });
    }
  }
}

function readEntry(entry: unknown, where: AckLocation, rules: AcknowledgeableRules, problems: Finding[]): { ruleId: string; written: string; reason: string } | undefined {
  const object = asObject(entry);
  const written = typeof entry === 'string' ? entry : typeof object?.id === 'string' ? object.id : undefined;
  if (written === undefined) {
    problems.push(ackFinding(ENGINE_CHECK_IDS.ackReason, where, `Metadata.guard.SuppressedRules of ${where.logicalId} holds ${JSON.stringify(entry)}, which names no rule`));
    return undefined;
  }
  const reason = typeof object?.reason === 'string' ? object.reason.trim() : '';
  if (reason.length < MIN_ACKNOWLEDGEMENT_REASON_LENGTH) {
    const what = typeof entry === 'string' ? 'a bare suppression without a reason' : `reason ${JSON.stringify(object?.reason ?? '')}, shorter than ${MIN_ACKNOWLEDGEMENT_REASON_LENGTH} characters`;
    problems.push(ackFinding(ENGINE_CHECK_IDS.ackReason, where, `acknowledgement of ${written} on ${where.logicalId} has ${what}, so it is ignored`));
    return undefined;
  }
  const rule = rules.resolve(written);
  if (!rule) {
    const closest = closestMatch(written, rules.names);
    problems.push(
      ackFinding(ENGINE_CHECK_IDS.ackUnknown, where, `acknowledgement on ${where.logicalId} names ${written}, which is not a rule that ran${closest ? `; did you mean ${closest}?` : ''}`),
    );
    return undefined;
  }
  if (rule.severity === 'critical' || rule.source === 'engine') {
    problems.push(
      ackFinding(ENGINE_CHECK_IDS.ackRefused, where, `acknowledgement of ${rule.id} on ${where.logicalId} is refused: ${rule.source === 'engine' ? 'engine checks' : 'critical rules'} cannot be acknowledged`),
    );
    return undefined;
  }
  return { ruleId: rule.id, written, reason };
}

interface AckLocation {
  readonly templatePath: string;
  readonly logicalId: string;
  readonly resourceType?: string;
}

function ackFinding(id: string, where: AckLocation, message: string): Finding {
  return engineFinding(id, where.templatePath, message, { logicalId: where.logicalId, resourceType: where.resourceType, locations: ['Metadata.guard.SuppressedRules'] });
}

function suppressedRules(metadata: unknown): unknown {
  return asObject(asObject(metadata)?.guard)?.SuppressedRules;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
