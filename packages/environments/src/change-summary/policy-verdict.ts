import * as path from 'node:path';
import type { Finding, PolicyReport } from '@core-infra/policies';
import { DeployInputError } from '../deploy/errors';
import { isJsonObject, readJsonFile } from './json-files';
import type { PolicyFindingSummary, PolicyVerdict } from './types';

const TEMPLATE_SUFFIX = '.template.json';

/** A policy report read from a file, with the name it was given by. */
export interface NamedPolicyReport {
  /** The file, as given. */
  readonly file: string;
  /** The report. */
  readonly report: PolicyReport;
}

/**
 * Reads a `core-policies check` JSON report (`reports/policy-report.json`).
 *
 * @param file the report
 * @param flag the option that named it, for messages
 * @throws DeployInputError when it is missing, not JSON or not a policy report
 */
export function readPolicyReport(file: string, flag: string): NamedPolicyReport {
  const fix = flag === '--base-policy-report' ? "download the base branch's policy report, or drop the option" : "run the app's validate target (npx nx run <env>:validate) or drop the option";
  const report = readJsonFile(file, flag, fix);
  if (!isJsonObject(report) || !Array.isArray(report.findings) || !Array.isArray(report.errors)) {
    throw new DeployInputError(`${flag}: ${file} is not a core-policies JSON report (no findings or errors): ${fix}`);
  }
  return { file, report: report as unknown as PolicyReport };
}

/**
 * Identifies a finding across two runs by rule, template and resource, never by line: the same
 * finding moves when unrelated resources are added above it. The template is its artifact id
 * (the file name), since the folder it was checked in differs between checkouts.
 *
 * @param finding the finding
 */
export function policyFindingKey(finding: Pick<Finding, 'ruleId' | 'templatePath' | 'logicalId'>): string {
  return [finding.ruleId, templateName(finding.templatePath), finding.logicalId ?? ''].join('\u0000');
}

/**
 * The policy verdict of a change: the open findings of the head report that the base branch's
 * report does not have, and how many there are in total. Without a base report every open
 * finding is listed, since none can be told apart as new.
 *
 * @param head the head (pull request) report; undefined when there is none
 * @param base the base branch's report; undefined when none was given
 */
export function policyVerdictOf(head: NamedPolicyReport | undefined, base: NamedPolicyReport | undefined): PolicyVerdict {
  if (head === undefined) return { baseReportFile: base?.file, total: 0, acknowledged: 0, resolved: 0, listed: [], errors: [] };
  const findings = head.report.findings;
  const headKeys = new Set(findings.map(policyFindingKey));
  const baseKeys = new Set((base?.report.findings ?? []).map(policyFindingKey));
  const listed = base === undefined ? findings : findings.filter((finding) => !baseKeys.has(policyFindingKey(finding)));
  return {
    reportFile: head.file,
    baseReportFile: base?.file,
    total: findings.length,
    acknowledged: Array.isArray(head.report.acknowledged) ? head.report.acknowledged.length : 0,
    resolved: [...baseKeys].filter((key) => !headKeys.has(key)).length,
    listed: dedupe(listed).map(findingSummary),
    errors: head.report.errors,
  };
}

function findingSummary(finding: Finding): PolicyFindingSummary {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    message: finding.message,
    template: templateName(finding.templatePath),
    logicalId: finding.logicalId,
    resourceType: finding.resourceType,
  };
}

/** One row per rule, template and resource: a rule failing in several places of one resource is one finding to fix. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = policyFindingKey(finding);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function templateName(templatePath: string): string {
  const name = path.basename(templatePath.split('\\').join('/'));
  return name.endsWith(TEMPLATE_SUFFIX) ? name.slice(0, -TEMPLATE_SUFFIX.length) : name;
}
