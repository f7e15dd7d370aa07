import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** One synthesized stack template. */
export interface TemplateSize {
  /** Path relative to the assembly folder. */
  readonly template: string;
  readonly resources: number;
  readonly bytes: number;
}

/** Size of a cloud assembly (nested stage assemblies included). */
export interface AssemblyMetrics {
  readonly stacks: number;
  readonly totalResources: number;
  /** The stack with the most resources. */
  readonly largestStack: TemplateSize;
  /** The biggest template file (usually, not always, the same stack). */
  readonly largestTemplate: TemplateSize;
  /** Resources of the stacks that are not review-app stacks (the shared dev infrastructure). */
  readonly sharedResources: number;
}

/** Counts the stacks, resources and template bytes of every `*.template.json` under an assembly. */
export function assemblyMetrics(assemblyDir: string): AssemblyMetrics {
  const templates: TemplateSize[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.template.json')) {
        const body = JSON.parse(readFileSync(full, 'utf8')) as { Resources?: Record<string, unknown> };
        templates.push({ template: path.relative(assemblyDir, full), resources: Object.keys(body.Resources ?? {}).length, bytes: statSync(full).size });
      }
    }
  };
  walk(assemblyDir);
  if (templates.length === 0) throw new Error(`no templates under ${assemblyDir}`);
  const by = (key: 'resources' | 'bytes') => templates.reduce((a, b) => (b[key] > a[key] ? b : a));
  return {
    stacks: templates.length,
    totalResources: templates.reduce((n, t) => n + t.resources, 0),
    largestStack: by('resources'),
    largestTemplate: by('bytes'),
    sharedResources: templates.filter((t) => !/review/i.test(t.template)).reduce((n, t) => n + t.resources, 0),
  };
}
