import { readFileSync } from 'node:fs';
import type { PolicyProfile, RuleDescription } from '../catalogue/types';
import { enabledControlTowerRules } from '../engine/control-tower';
import { coreRuleMetadata } from '../engine/core-rules';
import type { TemplateFile } from '../engine/evaluate';
import type { AcknowledgedFinding, Finding } from '../engine/finding';
import type { SourceLocation } from './source-locations';

/** A rule as the reports describe it. */
export interface ReportRule extends RuleDescription {
  /** Guard rule (or engine check) name. */
  readonly name: string;
}

/** A resource of an evaluated template. */
export interface ReportResource {
  /** Logical id. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly type: string;
}

/** A template as the reports describe it. */
export interface ReportTemplate {
  /** Path shown to users (relative to the working folder or the assembly). */
  readonly path: string;
  /** Its resources, in template order. */
  readonly resources: readonly ReportResource[];
  /** 1-based line of each resource's logical id in the template file, for SARIF locations. */
  readonly lines: Readonly<Record<string, number>>;
  /**
   * Where in the repository each resource with a finding (open or acknowledged) was declared,
   * from the assembly's creation stack traces; SARIF makes it the primary location.
   */
  readonly sources?: Readonly<Record<string, SourceLocation>>;
}

/** Everything a report format needs: what was checked, with which rules, and what was found. */
export interface PolicyReport {
  /** Name and version of the checker. */
  readonly tool: {
    /** Name of the checker. */
    readonly name: string;
    /** Its version. */
    readonly version: string;
    /** The cfn-guard binary that evaluated the rules: its version and whether it was the bundled one. */
    readonly guard?: {
      /** Version cfn-guard reported, e.g. `3.1.1`. */
      readonly version: string;
      /** `bundled`, or `override` when `CORE_POLICIES_GUARD_BINARY` (or an option) chose another binary. */
      readonly source: 'bundled' | 'override';
    };
  };
  /** Policy profile in force. */
  readonly profile: PolicyProfile;
  /**
   * How many of the templates had their cfn-guard results taken from the result cache (same
   * bytes, same rule set, same cfn-guard); the other checks ran on all of them.
   *
   * @default 0
   */
  readonly templatesFromCache?: number;
  /** Templates evaluated. */
  readonly templates: readonly ReportTemplate[];
  /** Rules proven evaluated on every template (not merely listed in the catalogue). */
  readonly rules: readonly ReportRule[];
  /** Unacknowledged findings: any of them fails the check. */
  readonly findings: readonly Finding[];
  /** Findings acknowledged in their templates with a reason, listed for review. */
  readonly acknowledged: readonly AcknowledgedFinding[];
  /** Problems with the check itself (e.g. the plugin did not run); any of them fails the check. */
  readonly errors: readonly string[];
}

/**
 * The rules a profile evaluates: CORE's rules, the engine checks and the enabled Control
 * Tower rules.
 */
export function rulesForProfile(profile: PolicyProfile): ReportRule[] {
  return [
    ...coreRuleMetadata(profile).map((rule) => reportRule(rule, rule.ruleName)),
    ...enabledControlTowerRules().map((rule) => reportRule(rule, rule.id)),
  ];
}

function reportRule(rule: RuleDescription, name: string): ReportRule {
  return {
    id: rule.id,
    name,
    title: rule.title,
    description: rule.description,
    remediation: rule.remediation,
    severity: rule.severity,
    resourceTypes: rule.resourceTypes,
    nistControls: rule.nistControls,
  };
}

/**
 * Describes templates for reports: their resources and where each logical id stands in the file.
 *
 * @param files the evaluated templates
 */
export function describeTemplates(files: readonly TemplateFile[]): ReportTemplate[] {
  return files.map((file) => {
    const resources = Object.entries((file.template as { Resources?: Record<string, { Type?: string }> }).Resources ?? {}).map(([logicalId, resource]) => ({
      logicalId,
      type: resource?.Type ?? 'Unknown',
    }));
    return { path: file.displayPath ?? file.path, resources, lines: logicalIdLines(file, resources) };
  });
}

function logicalIdLines(file: TemplateFile, resources: readonly ReportResource[]): Record<string, number> {
  const lines: Record<string, number> = {};
  let text: string;
  try {
    text = readFileSync(file.displayPath ?? file.path, 'utf8');
  } catch {
    return lines;
  }
  const wanted = new Set(resources.map((r) => r.logicalId));
  text.split('\n').forEach((line, index) => {
    const match = /^\s*"?([A-Za-z0-9]+)"?\s*:/.exec(line);
    if (match && wanted.has(match[1]) && lines[match[1]] === undefined) lines[match[1]] = index + 1;
  });
  return lines;
}
