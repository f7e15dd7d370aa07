import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONTROL_TOWER_DECISIONS } from '../catalogue';
import type { RuleDescription, RuleSeverity } from '../catalogue/types';
import { cfnGuardPackageDir } from './guard-binary';

/** A bundled Control Tower rule that the decisions table enables, described from its metadata. */
export interface EnabledControlTowerRule extends RuleDescription {
  /** Absolute path of the bundled `.guard` file. */
  readonly path: string;
}

interface ControlMetadata {
  readonly Severity?: string;
  readonly DisplayName?: string;
  readonly Description?: string;
  readonly RemediationMessage?: string;
  readonly EvaluatedResourceTypes?: string[];
  readonly ComplianceFrameworkMappings?: { ComplianceFramework: string; Ids: string[] }[];
}

let cached: EnabledControlTowerRule[] | undefined;

/**
 * The bundled Control Tower rules that the decisions table enables, with their severity read
 * from the control metadata shipped beside them.
 */
export function enabledControlTowerRules(): readonly EnabledControlTowerRule[] {
  cached ??= CONTROL_TOWER_DECISIONS.filter((decision) => decision.enabled).map((decision) => {
    const root = path.join(cfnGuardPackageDir(), 'rules', 'control-tower');
    const metadataFile = path.join(root, 'metadata', decision.file.replace(/\.guard$/, '.metadata.json'));
    const metadata = JSON.parse(readFileSync(metadataFile, 'utf8')) as ControlMetadata;
    return {
      id: decision.id,
      path: path.join(root, 'cfn-guard', decision.file),
      severity: (metadata.Severity ?? 'HIGH').toLowerCase() as RuleSeverity,
      title: metadata.DisplayName ?? decision.id,
      description: metadata.Description ?? decision.id,
      remediation: metadata.RemediationMessage ?? 'See the AWS Control Tower proactive control documentation.',
      resourceTypes: metadata.EvaluatedResourceTypes ?? [],
      nistControls: metadata.ComplianceFrameworkMappings?.find((m) => m.ComplianceFramework === 'NIST 800-53 Rev 5')?.Ids ?? [],
    };
  });
  return cached;
}
