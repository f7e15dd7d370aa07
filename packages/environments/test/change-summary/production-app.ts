import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Manifest } from 'aws-cdk-lib/cloud-assembly-schema';

// A production app folder built from the REAL committed production templates: cdk.out holds the
// core-prod stage with the six stacks exactly as synthesized (apps/production/baseline), and
// baseline/ is a copy of the committed baseline with its acknowledgements. A test edits the
// synthesized templates the way a change would, without synthesizing anything.

const COMMITTED_BASELINE = path.resolve(__dirname, '../../../../apps/production/baseline');
const STAGE = 'core-prod';
const ACCOUNT = '100000000004';

/** The production stacks: construct id and artifact id, as the real app names them. */
export const PRODUCTION_STACKS = {
  app: 'coreprodappFBEDDB1C',
  data: 'coreproddata49DE54EE',
  'deployment-access': 'coreproddeploymentaccessB761EB6B',
  edge: 'coreprodedge4E10F94F',
  monitoring: 'coreprodmonitoring7F122C31',
  network: 'coreprodnetworkAA20ADCE',
} as const;

/** What each production stack depends on, as the real app's manifest records it. */
const DEPENDENCIES: Readonly<Record<string, readonly ProductionStack[]>> = {
  data: ['network', 'monitoring'],
  app: ['data', 'network', 'monitoring'],
  edge: ['monitoring', 'app'],
};

/** A production stack's construct id. */
export type ProductionStack = keyof typeof PRODUCTION_STACKS;

/** A template, loosely typed for editing. */
export interface EditableTemplate {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown>; DeletionPolicy?: string }>;
  [section: string]: unknown;
}

/** A written production app folder. */
export interface ProductionApp {
  /** The app folder. */
  readonly appDir: string;
  /** Its cdk.out. */
  readonly assembly: string;
  /** Its baseline folder (a copy of the committed one). */
  readonly baseline: string;
}

const created: string[] = [];

/** Removes every folder written; call it in afterAll. */
export function removeProductionApps(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Reads a committed production baseline template, for editing. */
export function committedTemplate(stack: ProductionStack): EditableTemplate {
  return JSON.parse(readFileSync(path.join(COMMITTED_BASELINE, `${PRODUCTION_STACKS[stack]}.template.json`), 'utf8')) as EditableTemplate;
}

/** The logical id of the first resource of a type in a template (optionally with a prefix). */
export function logicalIdOf(template: EditableTemplate, type: string, prefix = ''): string {
  const id = Object.keys(template.Resources).find((key) => template.Resources[key].Type === type && key.startsWith(prefix));
  if (id === undefined) throw new Error(`no ${type} starting with ${prefix}`);
  return id;
}

/**
 * Writes a production app folder whose synthesized templates are the committed ones, edited.
 *
 * @param edits per stack, a function that changes its template in place
 * @param options `without`: stacks left out of the assembly (removed from the app); `extraStacks`: new stacks with their templates
 */
export function writeProductionApp(
  edits: Partial<Record<ProductionStack, (template: EditableTemplate) => void>> = {},
  options: { readonly without?: readonly ProductionStack[]; readonly extraStacks?: Readonly<Record<string, EditableTemplate>>; readonly acknowledgements?: string } = {},
): ProductionApp {
  const appDir = mkdtempSync(path.join(tmpdir(), 'core-change-summary-'));
  created.push(appDir);
  const assembly = path.join(appDir, 'cdk.out');
  const nested = path.join(assembly, `assembly-${STAGE}`);
  mkdirSync(nested, { recursive: true });
  const artifacts: Record<string, unknown> = {};
  const stacks: [string, string, EditableTemplate][] = (Object.keys(PRODUCTION_STACKS) as ProductionStack[])
    .filter((name) => !(options.without ?? []).includes(name))
    .map((name) => {
      const template = committedTemplate(name);
      edits[name]?.(template);
      return [name, PRODUCTION_STACKS[name], template];
    });
  for (const [name, template] of Object.entries(options.extraStacks ?? {})) stacks.push([name, `coreprod${name.replace(/-/g, '')}0A1B2C3D`, template]);
  for (const [name, artifactId, template] of stacks) {
    const region = name === 'edge' ? 'us-east-1' : 'eu-west-2';
    writeFileSync(path.join(nested, `${artifactId}.template.json`), JSON.stringify(template, null, 1));
    artifacts[artifactId] = {
      type: 'aws:cloudformation:stack',
      environment: `aws://${ACCOUNT}/${region}`,
      properties: { templateFile: `${artifactId}.template.json`, stackName: `${STAGE}-${name}` },
      dependencies: (DEPENDENCIES[name] ?? []).filter((dependency) => stacks.some(([present]) => present === dependency)).map((dependency) => PRODUCTION_STACKS[dependency]),
      displayName: `${STAGE}/${name}`,
    };
  }
  const version = Manifest.version();
  writeFileSync(path.join(nested, 'manifest.json'), JSON.stringify({ version, artifacts }, null, 1));
  const directoryName = `assembly-${STAGE}`;
  writeFileSync(path.join(assembly, 'manifest.json'), JSON.stringify({ version, artifacts: { [directoryName]: { type: 'cdk:cloud-assembly', properties: { directoryName, displayName: STAGE } } } }));
  writeFileSync(path.join(assembly, 'cdk.out'), JSON.stringify({ version }));
  const baseline = path.join(appDir, 'baseline');
  cpSync(COMMITTED_BASELINE, baseline, { recursive: true });
  if (options.acknowledgements !== undefined) writeFileSync(path.join(baseline, 'acknowledgements.yaml'), options.acknowledgements);
  return { appDir, assembly, baseline };
}

/** Writes a JSON policy report beside an app's assembly (or at a given file) and returns its path. */
export function writePolicyReport(file: string, findings: readonly { ruleId: string; stack: ProductionStack; logicalId?: string; line?: number }[]): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const report = {
    tool: { name: 'core-policies', version: '0.1.0' },
    profile: 'production',
    templates: [],
    rules: [],
    findings: findings.map((finding) => ({
      ruleId: finding.ruleId,
      ruleName: finding.ruleId.toLowerCase(),
      severity: 'high',
      message: `${finding.ruleId} is violated | by <${finding.logicalId ?? 'template'}>`,
      templatePath: `cdk.out/assembly-${STAGE}/${PRODUCTION_STACKS[finding.stack]}.template.json`,
      logicalId: finding.logicalId,
      locations: [`line ${finding.line ?? 1}`],
      source: 'core',
    })),
    acknowledged: [],
    errors: [],
  };
  writeFileSync(file, JSON.stringify(report, null, 2));
  return file;
}
