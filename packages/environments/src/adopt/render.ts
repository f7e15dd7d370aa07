import type { DifferenceEffect } from './property-checks';
import type { AdoptionReport, CdkOnlyResource } from './types';

const EFFECTS: Record<DifferenceEffect, string> = {
  replaces: 'the first deploy after the import REPLACES the resource (its data is lost): make the CDK app match before importing',
  'update-fails': 'the first deploy after the import fails (AWS cannot go back): make the CDK app match before importing',
  updates: 'the first deploy after the import changes the live resource in place',
};

/**
 * Renders an adoption as text for the person doing it: the imports per stack, every finding
 * (with what to do), the commands in order, and the `terraform state rm` list for afterwards.
 *
 * @param report the planned adoption
 * @param written the files written, or none when the report is only shown
 */
export function renderAdoption(report: AdoptionReport, written: readonly string[] = []): string {
  const lines: string[] = [];
  const importCount = report.imports.length;
  lines.push(
    `Adoption of ${report.environment} from ${report.tfstate}: ${importCount} Terraform resource${importCount === 1 ? '' : 's'} map${importCount === 1 ? 's' : ''} onto CDK resources in ${report.stacks.length} stack${report.stacks.length === 1 ? '' : 's'}; ${report.findings === 0 ? 'no findings' : `${report.findings} finding${report.findings === 1 ? '' : 's'} to decide on`}.`,
  );

  section(lines, 'Imports (cdk import, stack by stack, in deployment order)', report.stacks.flatMap((stack) => [
    `${stack.stackId}  → ${stack.mappingFile}`,
    ...report.imports
      .filter((entry) => entry.stackId === stack.stackId)
      .flatMap((entry) => [
        `  ${entry.logicalId} (${entry.type}) ${formatIdentifier(entry.identifier)}  ← ${entry.terraformAddress}`,
        ...entry.differences.map((difference) => `    ! ${difference.property}: Terraform ${difference.terraform}, CDK ${difference.cdk}: ${EFFECTS[difference.effect]}`),
      ]),
  ]));

  section(
    lines,
    'Terraform resources with no CDK counterpart (CDK will not own them; adopt them by giving a CDK resource the same name, or keep them out on purpose)',
    report.terraformOnly.map((entry) => {
      const hint = entry.closest === undefined ? '' : `; closest CDK resource: ${entry.closest.stackId} ${entry.closest.logicalId} named ${entry.closest.name}, give both the same name`;
      return `${entry.terraformAddress} (${entry.type}) ${entry.names.join(', ') || '(no name or alias)'}${hint}`;
    }),
  );
  section(lines, 'CDK stateful resources with no Terraform counterpart (created EMPTY by the first deploy)', report.cdkOnly.filter((entry) => entry.reason !== 'unresolved-name').map(formatCdkOnly));
  section(lines, 'CDK stateful resources whose name cannot be worked out before deployment', report.cdkOnly.filter((entry) => entry.reason === 'unresolved-name').map(formatCdkOnly));
  section(lines, 'Terraform resources CloudFormation cannot import', report.notImportable.map((entry) => `${entry.terraformAddress} (${entry.terraformType}): ${entry.instead}`));

  section(lines, 'Commands, in this order', report.stacks.map((stack) => stack.command));
  section(lines, 'After every import succeeded, remove the adopted resources from the Terraform state', report.stateRm.map((address) => `terraform state rm ${shellQuote(address)}`));
  if (report.leftToTerraform.length > 0) {
    const total = report.leftToTerraform.reduce((sum, entry) => sum + entry.count, 0);
    lines.push('', `Left to Terraform: ${total} resource${total === 1 ? '' : 's'} CDK creates its own of; destroy them with Terraform after the cutover:`);
    lines.push(`  ${report.leftToTerraform.map((entry) => `${entry.terraformType} ×${entry.count}`).join(', ')}`);
  }
  if (written.length > 0) lines.push('', `Wrote ${written.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function section(lines: string[], title: string, items: readonly string[]): void {
  if (items.length === 0) return;
  lines.push('', `${title}:`, ...items.map((item) => `  ${item}`));
}

function formatCdkOnly(entry: CdkOnlyResource): string {
  return `${entry.stackId} ${entry.logicalId} (${entry.type})${entry.name === undefined ? '' : ` ${entry.name}`}: ${entry.detail}`;
}

function formatIdentifier(identifier: Readonly<Record<string, string>>): string {
  return Object.entries(identifier)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

/** Quotes an address for a POSIX shell: `module.x.aws_s3_bucket.this["a"]` has brackets and quotes. */
function shellQuote(text: string): string {
  return /^[\w.-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
