import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { listAssemblyStacks } from './assembly';
import type { TemplateFile } from './evaluate';

/** Raised when an input path cannot be read as CloudFormation templates; the CLI exits 2. */
export class TemplateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateInputError';
  }
}

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
      for (const stack of listAssemblyStacks(resolved)) files.push(readTemplate(stack.templatePath, path.relative(process.cwd(), stack.templatePath)));
      continue;
    }
    const text = readFileSync(resolved, 'utf8');
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

function readTemplate(file: string, displayPath: string): TemplateFile {
  const text = readFileSync(file, 'utf8');
  return { path: file, template: parseTemplateText(text, displayPath), sizeBytes: Buffer.byteLength(text), displayPath };
}

/**
 * Parses JSON or YAML template text and checks that it is a CloudFormation template.
 *
 * @param text the file's content
 * @param name how to name the file in errors
 * @throws TemplateInputError when the text is not JSON/YAML or has no `Resources` map
 */
export function parseTemplateText(text: string, name: string): unknown {
  let template: unknown;
  if (looksLikeJson(text)) {
    try {
      template = JSON.parse(text);
    } catch (error) {
      throw new TemplateInputError(`${name} is not valid JSON: ${(error as Error).message}`);
    }
  } else {
    const doc = YAML.parseDocument(text, { customTags: CLOUDFORMATION_TAGS, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw new TemplateInputError(`${name} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
    }
    template = doc.toJS({ maxAliasCount: 1000 });
  }
  const resources = (template as { Resources?: unknown } | null)?.Resources;
  if (typeof template !== 'object' || template === null || typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new TemplateInputError(`${name} is not a CloudFormation template: it has no Resources map`);
  }
  return template;
}

function looksLikeJson(text: string): boolean {
  return /^\s*[{[]/.test(text);
}
