import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { listAssemblyStacks, readTextFile, type AssemblyStack } from './assembly';
import type { TemplateFile } from './evaluate';
import { TemplateInputError } from './guard-binary';

// Defined next to PolicyEngineError, which it extends; re-exported where it was first declared.
export { TemplateInputError } from './guard-binary';

const FIX_INPUT_FILE = 'fix the file or pass another one';
const FIX_ASSEMBLY_FILE = 'synthesize the app again (cdk synth) to rewrite the cloud assembly';

const INTRINSICS = ['Ref', 'Condition', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not', 'And', 'Or', 'FindInMap', 'Base64', 'Cidr', 'ImportValue', 'Select', 'Split', 'GetAZs', 'Transform', 'Length', 'ToJsonString'];

// CloudFormation's YAML short forms (`!Ref x`, `!GetAtt a.b`, `!Join [...]`) become the long
// JSON forms cfn-guard evaluates.
const CLOUDFORMATION_TAGS: YAML.Tags = INTRINSICS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: YAML.YAMLSeq) => ({ [key]: seq.toJSON() }) },
    { tag: `!${name}`, collection: 'map' as const, resolve: (map: YAML.YAMLMap) => ({ [key]: map.toJSON() }) },
  ];
}) as unknown as YAML.Tags;

/**
 * Resolves CLI inputs to templates: a cloud assembly folder (every stack in its manifest,
 * nested Stages included) or JSON/YAML template files (CDK-made or not). YAML templates are
 * converted to JSON in a temporary folder for cfn-guard and reported under their own path.
 *
 * @throws TemplateInputError naming the input and what is wrong with it
 */
export function loadTemplateInputs(inputs: readonly string[]): TemplateFile[] {
  if (inputs.length === 0) throw new TemplateInputError('no input given: pass a cdk.out folder or template files');
  const files: TemplateFile[] = [];
  let scratchDir: string | undefined;
  for (const input of inputs) {
    const resolved = path.resolve(input);
    if (!existsSync(resolved)) throw new TemplateInputError(`${input} does not exist: pass a cdk.out folder or a template file`);
    if (statSync(resolved).isDirectory()) {
      if (!existsSync(path.join(resolved, 'manifest.json'))) {
        throw new TemplateInputError(`${input} is a folder without manifest.json: pass a cdk.out folder (run cdk synth first) or template files`);
      }
      for (const stack of listAssemblyStacks(resolved)) files.push(readStackTemplate(stack));
      continue;
    }
    const text = readTextFile(resolved, 'template', FIX_INPUT_FILE);
    const template = parseTemplateText(text, input);
    if (/\.json$/i.test(resolved) && looksLikeJson(text)) {
      files.push({ path: resolved, template, sizeBytes: Buffer.byteLength(text) });
    } else {
      scratchDir ??= mkdtempSync(path.join(tmpdir(), 'core-policies-'));
      const jsonPath = path.join(scratchDir, `${files.length}-${path.basename(resolved)}.json`);
      writeFileSync(jsonPath, JSON.stringify(template));
      files.push({ path: jsonPath, template, sizeBytes: Buffer.byteLength(text), displayPath: resolved });
    }
  }
  return files;
}

function readStackTemplate(stack: AssemblyStack): TemplateFile {
  const displayPath = path.relative(process.cwd(), stack.templatePath);
  const text = readTextFile(stack.templatePath, `template of stack ${stack.displayName}`, FIX_ASSEMBLY_FILE);
  const template = parseTemplateText(text, displayPath, FIX_ASSEMBLY_FILE);
  return { path: stack.templatePath, template, sizeBytes: Buffer.byteLength(text), displayPath, account: environmentAccount(stack.environment), metadataPath: stack.metadataPath };
}

/** The account of a manifest environment `aws://<account>/<region>`, unless it is unknown. */
export function environmentAccount(environment: string | undefined): string | undefined {
  const account = /^aws:\/\/(\d{12})\//.exec(environment ?? '')?.[1];
  return account;
}

/**
 * Parses JSON or YAML template text and checks that it is a CloudFormation template.
 *
 * @param text the file's content
 * @param name how to name the file in errors
 * @param fix what to do about a file that does not parse, for the message
 * @throws TemplateInputError when the text is not JSON/YAML or has no `Resources` map
 */
export function parseTemplateText(text: string, name: string, fix: string = FIX_INPUT_FILE): unknown {
  const template = looksLikeJson(text) ? parseJson(text, name, fix) : parseYaml(text, name, fix);
  const resources = (template as { Resources?: unknown } | null)?.Resources;
  if (typeof template !== 'object' || template === null || typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new TemplateInputError(`${name} is not a CloudFormation template: it has no Resources map; ${fix}`);
  }
  return template;
}

function parseJson(text: string, name: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TemplateInputError(`${name} is not valid JSON (${oneLine((error as Error).message)}): ${fix}`);
  }
}

function parseYaml(text: string, name: string, fix: string): unknown {
  const doc = YAML.parseDocument(text, { customTags: CLOUDFORMATION_TAGS, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new TemplateInputError(`${name} is not valid YAML (${firstLine(doc.errors[0].message)}): ${fix}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // toJS throws for documents that parse but cannot be built, e.g. an alias bomb.
    throw new TemplateInputError(`${name} cannot be read as YAML (${firstLine((error as Error).message)}): ${fix}`);
  }
}

// JSON messages quote the offending text, newlines included; YAML messages add a code frame
// below the first line. The CLI prints one line.
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim().slice(0, 300);
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

function looksLikeJson(text: string): boolean {
  return /^\s*[{[]/.test(text);
}
