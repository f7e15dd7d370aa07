import type { CfnTemplate } from './bootstrap-template';

/** What a synthesized stack asks of the bootstrap stack of its account and region. */
export interface BootstrapRequirement {
  /** Lowest bootstrap version the stack's `CheckBootstrapVersion` rule accepts. */
  readonly minimumVersion: number;
  /** Qualifier of the SSM parameter the rule reads (`/cdk-bootstrap/<qualifier>/version`). */
  readonly qualifier: string;
}

/**
 * Reads what a stack synthesized by CDK's default synthesizer requires of the bootstrap stack:
 * its `BootstrapVersion` parameter names the version parameter (and so the qualifier), and its
 * `CheckBootstrapVersion` rule lists the versions it refuses.
 *
 * @param template a synthesized stack template
 * @returns undefined when the stack has no bootstrap check (a stack synthesized without one)
 */
export function bootstrapRequirementOf(template: CfnTemplate): BootstrapRequirement | undefined {
  const parameter = template.Parameters?.BootstrapVersion?.Default;
  const qualifier = typeof parameter === 'string' ? /^\/cdk-bootstrap\/([^/]+)\/version$/.exec(parameter)?.[1] : undefined;
  if (qualifier === undefined) return undefined;
  const refused = findRefusedVersions(template.Rules?.CheckBootstrapVersion);
  return { qualifier, minimumVersion: refused.length === 0 ? 1 : Math.max(...refused) + 1 };
}

function findRefusedVersions(node: unknown): number[] {
  if (Array.isArray(node)) return node.flatMap(findRefusedVersions);
  if (node === null || typeof node !== 'object') return [];
  const contains = (node as Record<string, unknown>)['Fn::Contains'];
  if (Array.isArray(contains) && Array.isArray(contains[0])) return (contains[0] as unknown[]).map(Number).filter(Number.isInteger);
  return Object.values(node).flatMap(findRefusedVersions);
}
