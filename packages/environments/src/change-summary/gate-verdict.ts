import { existsSync } from 'node:fs';
import { compareAssemblies, GateInputError, type GateReport, type StatefulChange } from '@core-infra/policies';
import { DeployInputError } from '../deploy/errors';
import type { GateChange, GateVerdict } from './types';

/** Where the gate reads, as `core-policies diff --baseline <dir> --assembly <cdk.out> [--acknowledgements <file>]` takes them. */
export interface GateInputs {
  /** The synthesized cloud assembly. */
  readonly assemblyDir: string;
  /** The committed baseline folder. */
  readonly baselineDir: string;
  /**
   * The acknowledgement file.
   *
   * @default - `<baselineDir>/acknowledgements.yaml` when present
   */
  readonly acknowledgementsFile?: string;
}

/**
 * Runs the destructive-change gate exactly as the apps' `check-stateful` target does
 * (`core-policies diff --baseline baseline --assembly cdk.out`): the whole assembly against the
 * baseline folder, with the acknowledgements beside it, and ephemeral stacks (dev's review
 * apps) exempted by the declaration in their own templates.
 *
 * @param inputs the assembly, the baseline folder and the acknowledgement file
 * @throws DeployInputError when the gate cannot read its input (an invalid acknowledgement file, an unreadable template)
 */
export function runDestructiveChangeGate(inputs: GateInputs): GateReport {
  if (inputs.acknowledgementsFile !== undefined && !existsSync(inputs.acknowledgementsFile)) {
    throw new DeployInputError(`--acknowledgements: ${inputs.acknowledgementsFile} does not exist: pass the app's baseline/acknowledgements.yaml or drop the option`);
  }
  try {
    return compareAssemblies({ assemblyDir: inputs.assemblyDir, baselineDir: inputs.baselineDir, acknowledgementsFile: inputs.acknowledgementsFile });
  } catch (error) {
    if (error instanceof GateInputError) throw new DeployInputError(`destructive-change gate: ${error.message}`);
    throw error;
  }
}

/**
 * The gate's verdict as the summary shows it: blocked and acknowledged changes (with the
 * reasons), acknowledgement problems, brief outages and exempt stacks.
 *
 * @param report the gate's report
 */
export function gateVerdictOf(report: GateReport): GateVerdict {
  return {
    passed: report.passed,
    blocked: report.findings.map(gateChange),
    acknowledged: report.acknowledged.map((change) => ({ ...gateChange(change), reason: change.acknowledgement.reason, expires: change.acknowledgement.expires })),
    problems: report.acknowledgementProblems.map((problem) => problem.message),
    interruptions: report.interruptions.map(
      (interruption) => `${interruption.displayName} ${interruption.logicalId} (${interruption.resourceType}): ${interruption.properties.map((property) => `${property.name}: ${property.explanation}`).join('; ')}`,
    ),
    exemptStacks: report.exempt.map((stack) => ({ stack: stack.displayName, reason: stack.reason })),
  };
}

function gateChange(change: StatefulChange): GateChange {
  return {
    stack: change.displayName,
    logicalId: change.logicalId,
    resourceType: change.resourceType,
    change: change.change,
    summary: change.summary,
    constructPath: change.constructPath,
    acknowledgeWith: change.acknowledgeWith,
  };
}
