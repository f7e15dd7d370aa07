import type { RuleSeverity } from '../catalogue/types';
import type { Finding, FindingSource } from './finding';
import type { GuardFileResult } from './run-guard';

/** What the parser needs to know about a rule to describe its findings. */
export interface RuleDescriptor {
  /** Rule identifier, e.g. `CORE.S3.1`. */
  readonly id: string;
  /** Severity of a violation. */
  readonly severity: RuleSeverity;
  /** Which rule set the rule belongs to. */
  readonly source: FindingSource;
}

/** Looks a rule up by the id in its message or by its guard rule name. */
export type RuleLookup = (idOrRuleName: string) => RuleDescriptor | undefined;

/** A guard custom message split into its parts. */
export interface ParsedMessage {
  /** The rule id in brackets, e.g. `CORE.S3.1`. */
  readonly id?: string;
  /** What is wrong. */
  readonly message?: string;
  /** The `[FIX]` remediation. */
  readonly fix?: string;
}

/** A template path cfn-guard reported, with the value it found there. */
interface PathRef {
  readonly path: string;
  readonly value?: unknown;
}

interface Leaf {
  readonly customMessage?: string;
  readonly errorMessage?: string;
  /** Paths of what the clause checked: its left-hand side (`from`, `value`, `traversed_to`). */
  readonly subjectPaths: PathRef[];
  /** Paths of what it was compared with: its right-hand side (`to`). */
  readonly comparedPaths: PathRef[];
}

/**
 * Turns cfn-guard's structured output for one template into findings.
 *
 * cfn-guard's JSON differs by rule style (clauses, blocks, named-rule references, resolved or
 * unresolved values), so instead of matching its shapes this walks the tree for every clause
 * that carries messages and reads the template paths inside it. A failed rule whose clauses
 * cannot be read still yields a template-level finding: nothing that failed is dropped.
 *
 * A finding names the resource on the left-hand side of the failed clause, the value the rule
 * checked. The right-hand side is what it was compared with; in a cross-resource rule
 * (`%bucket_ids in %policy_refs`) that is other resources, often the compliant ones, so it
 * locates the finding only when the left-hand side is in no resource. A left-hand side at
 * `/Resources` whose value is a logical id (a key captured with `Resources[ id | ... ]`)
 * names that resource.
 *
 * @param result cfn-guard's result for one template
 * @param template the parsed template, used to name resource types
 * @param lookup finds rule metadata by id or rule name
 */
export function parseGuardFileResult(result: GuardFileResult, template: unknown, lookup: RuleLookup): Finding[] {
  const findings = new Map<string, Finding>();
  for (const entry of result.not_compliant) {
    const ruleName = findRuleName(entry) ?? 'UNKNOWN_RULE';
    const leaves: Leaf[] = [];
    collectLeaves(entry, undefined, leaves);
    if (leaves.length === 0) leaves.push({ subjectPaths: [], comparedPaths: [] });
    for (const leaf of leaves) {
      const parsed = parseCustomMessage(leaf.customMessage);
      const descriptor = (parsed.id ? lookup(parsed.id) : undefined) ?? lookup(ruleName);
      const ruleId = parsed.id ?? descriptor?.id ?? ruleName;
      const resourcePaths = resourcePathsOf(leaf.subjectPaths, template);
      if (resourcePaths.length === 0) resourcePaths.push(...resourcePathsOf(leaf.comparedPaths, template));
      const targets: (ResourcePath | undefined)[] = resourcePaths.length > 0 ? uniqueByLogicalId(resourcePaths) : [undefined];
      for (const target of targets) {
        const finding: Finding = {
          ruleId,
          ruleName,
          severity: descriptor?.severity ?? 'high',
          message: parsed.message ?? leaf.errorMessage ?? `rule ${ruleName} failed`,
          fix: parsed.fix,
          templatePath: result.name,
          logicalId: target?.logicalId,
          resourceType: target ? resourceTypeOf(template, target.logicalId) : undefined,
          locations: target?.location ? [target.location] : [],
          source: descriptor?.source ?? 'core',
        };
        const key = [finding.ruleId, finding.logicalId ?? '', finding.message].join('\u0000');
        const existing = findings.get(key);
        if (!existing) {
          findings.set(key, finding);
        } else if (finding.locations.length > 0 && !existing.locations.includes(finding.locations[0])) {
          findings.set(key, { ...existing, locations: [...existing.locations, ...finding.locations] });
        }
      }
    }
  }
  return [...findings.values()];
}

/**
 * Splits a rule's custom message into its id, finding and remediation. Messages look like
 * `[CORE.S3.1]: what is wrong` followed by `[FIX]: what to do`, on one line or several.
 */
export function parseCustomMessage(text: string | undefined): ParsedMessage {
  if (!text) return {};
  const normalized = text.replace(/\s+/g, ' ').trim();
  const fixIndex = normalized.search(/\[FIX\]\s*:?/);
  const head = fixIndex >= 0 ? normalized.slice(0, fixIndex).trim() : normalized;
  const fix = fixIndex >= 0 ? normalized.slice(fixIndex).replace(/^\[FIX\]\s*:?\s*/, '').trim() : undefined;
  const tagged = /^\[([A-Za-z0-9.\-_]+)\]\s*:?\s*(.*)$/.exec(head);
  return {
    id: tagged?.[1],
    message: (tagged ? tagged[2] : head) || undefined,
    fix: fix || undefined,
  };
}

function findRuleName(node: unknown): string | undefined {
  if (!isObject(node)) return undefined;
  const rule = node.Rule;
  if (isObject(rule) && typeof rule.name === 'string') return rule.name;
  for (const value of Object.values(node)) {
    const found = findRuleName(value);
    if (found) return found;
  }
  return undefined;
}

function collectLeaves(node: unknown, inheritedMessage: string | undefined, leaves: Leaf[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectLeaves(item, inheritedMessage, leaves);
    return;
  }
  if (!isObject(node)) return;
  const messages = isObject(node.messages) ? node.messages : undefined;
  if (!messages) {
    for (const value of Object.values(node)) collectLeaves(value, inheritedMessage, leaves);
    return;
  }
  // A node with messages is a rule, a named-rule call, a block or a clause. Rules and calls
  // hold their parts in `checks`; anything else is a leaf whose paths locate the violation.
  const own = typeof messages.custom_message === 'string' && messages.custom_message.trim() ? messages.custom_message : undefined;
  const customMessage = own ?? inheritedMessage;
  if (Array.isArray(node.checks)) {
    collectLeaves(node.checks, customMessage, leaves);
    return;
  }
  const { messages: _ignored, ...rest } = node;
  const subjectPaths: PathRef[] = [];
  const comparedPaths: PathRef[] = [];
  collectPaths(rest, false, subjectPaths, comparedPaths);
  leaves.push({
    customMessage,
    errorMessage: typeof messages.error_message === 'string' ? messages.error_message : undefined,
    subjectPaths,
    comparedPaths,
  });
}

/** Collects `{ path, value }` pairs, separating those under a comparison's `to` (its right-hand side). */
function collectPaths(node: unknown, compared: boolean, subject: PathRef[], other: PathRef[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectPaths(item, compared, subject, other);
    return;
  }
  if (!isObject(node)) return;
  const located = typeof node.path === 'string';
  if (located) (compared ? other : subject).push({ path: node.path as string, value: node.value });
  for (const [key, value] of Object.entries(node)) {
    // A located value is template data: a property that happens to be called `path` is not one.
    if (key === 'path' || (located && key === 'value')) continue;
    collectPaths(value, compared || key === 'to', subject, other);
  }
}

interface ResourcePath {
  readonly logicalId: string;
  readonly location?: string;
}

function resourcePathsOf(refs: readonly PathRef[], template: unknown): ResourcePath[] {
  return refs.map((ref) => toResourcePath(ref.path) ?? capturedLogicalId(ref, template)).filter((p): p is ResourcePath => p !== undefined);
}

/** `Resources[ id | ... ]` binds logical ids: cfn-guard reports each at `/Resources` with the id as value. */
function capturedLogicalId(ref: PathRef, template: unknown): ResourcePath | undefined {
  if (ref.path !== '/Resources' || typeof ref.value !== 'string') return undefined;
  return resourceTypeOf(template, ref.value) !== undefined ? { logicalId: ref.value } : undefined;
}

function toResourcePath(pointer: string): ResourcePath | undefined {
  const match = /^\/Resources\/([^/]+)(\/.*)?$/.exec(pointer);
  if (!match) return undefined;
  const location = match[2]
    ?.split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/\[L:\d+,C:\d+\]$/, ''))
    .join('.');
  return { logicalId: match[1], location: location || undefined };
}

function uniqueByLogicalId(paths: ResourcePath[]): ResourcePath[] {
  const seen = new Map<string, ResourcePath>();
  for (const p of paths) {
    const existing = seen.get(p.logicalId);
    // Prefer the deepest location: it names the property at fault.
    if (!existing || (p.location?.length ?? 0) > (existing.location?.length ?? 0)) seen.set(p.logicalId, p);
  }
  return [...seen.values()];
}

function resourceTypeOf(template: unknown, logicalId: string): string | undefined {
  if (!isObject(template) || !isObject(template.Resources)) return undefined;
  const resource = template.Resources[logicalId];
  return isObject(resource) && typeof resource.Type === 'string' ? resource.Type : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
