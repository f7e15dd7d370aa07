import { isStatefulResourceType } from '@core-infra/policies';
import type { IConstruct } from 'constructs';
import { policyProblems, type SynthesizeOptions } from './synth';

/** The part of a CloudFormation template the matchers read. */
export interface TemplateResources {
  /** Resources by logical id. */
  readonly Resources?: Record<string, TemplateResource>;
}

/** A resource of a template, as the matchers read it. */
export interface TemplateResource {
  /** CloudFormation type. */
  readonly Type?: string;
  /** Resource properties. */
  readonly Properties?: Record<string, unknown>;
  /** What happens when the resource leaves the template. */
  readonly DeletionPolicy?: string;
  /** What happens when a change replaces the resource. */
  readonly UpdateReplacePolicy?: string;
}

/** Result shape jest expects from a matcher. */
export interface MatcherResult {
  /** Whether the assertion held. */
  readonly pass: boolean;
  /** Explanation shown when the assertion fails (or, negated, when it holds). */
  readonly message: () => string;
}

const RETAINING_POLICIES = new Set(['Retain', 'RetainExceptOnCreate', 'Snapshot']);

/**
 * Custom jest matchers for CDK code. Register with `expect.extend(coreMatchers)`, or load
 * `@core-infra/testing/setup` in `setupFilesAfterEnv`, which does it for you.
 */
export const coreMatchers = {
  /**
   * Passes when the app holding the construct synthesizes through the CORE policies with no open
   * finding (and no acknowledgement unless `allowAcknowledgements`). The failure message lists
   * every finding.
   */
  toPassPolicies(received: IConstruct, options: SynthesizeOptions & { readonly allowAcknowledgements?: boolean } = {}): MatcherResult {
    const problems = policyProblems(received, options);
    return {
      pass: problems.length === 0,
      message: () => (problems.length === 0 ? 'expected policy findings, but there were none' : `expected no policy findings, got ${problems.length}:\n${problems.join('\n')}`),
    };
  },

  /** Passes when every stateful resource of a template is retained or snapshotted on delete and on replacement. */
  toRetainStatefulResources(received: TemplateResources): MatcherResult {
    const offenders = Object.entries(received.Resources ?? {})
      .filter(([, r]) => r.Type && isStatefulResourceType(r.Type))
      .filter(([, r]) => !RETAINING_POLICIES.has(r.DeletionPolicy ?? 'Delete') || !RETAINING_POLICIES.has(r.UpdateReplacePolicy ?? 'Delete'))
      .map(([id, r]) => `${id} (${r.Type}): DeletionPolicy ${r.DeletionPolicy ?? 'Delete'}, UpdateReplacePolicy ${r.UpdateReplacePolicy ?? 'Delete'}`);
    return {
      pass: offenders.length === 0,
      message: () => (offenders.length === 0 ? 'expected a stateful resource that is not retained' : `stateful resources would be deleted:\n${offenders.join('\n')}`),
    };
  },

  /** Passes when no IAM statement in the template allows every action on every resource. */
  toHaveNoAdminIamStatements(received: TemplateResources): MatcherResult {
    const offenders: string[] = [];
    for (const [id, resource] of Object.entries(received.Resources ?? {})) {
      for (const statement of iamStatements(resource.Properties)) {
        const actions = [statement.Action].flat();
        const resources = [statement.Resource].flat();
        if (statement.Effect === 'Allow' && actions.includes('*') && resources.includes('*')) offenders.push(id);
      }
    }
    return {
      pass: offenders.length === 0,
      message: () => (offenders.length === 0 ? 'expected an Allow * on * statement' : `statements allow * on *: ${offenders.join(', ')}`),
    };
  },

  /** Passes when every S3 bucket in the template has a bucket policy denying requests without TLS. */
  toEnforceTlsOnBuckets(received: TemplateResources): MatcherResult {
    const resources = received.Resources ?? {};
    const buckets = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket').map(([id]) => id);
    const protectedBuckets = new Set<string>();
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::S3::BucketPolicy') continue;
      const bucketRef = (resource.Properties?.Bucket as { Ref?: string } | undefined)?.Ref;
      const denies = iamStatements(resource.Properties).some(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition ?? {}).includes('"aws:SecureTransport":"false"'),
      );
      if (bucketRef && denies) protectedBuckets.add(bucketRef);
    }
    const offenders = buckets.filter((id) => !protectedBuckets.has(id));
    return {
      pass: offenders.length === 0,
      message: () => (offenders.length === 0 ? 'expected a bucket without a TLS-only policy' : `buckets accept requests without TLS: ${offenders.join(', ')}`),
    };
  },
};

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

function iamStatements(properties: Record<string, unknown> | undefined): Statement[] {
  if (!properties) return [];
  const documents = [properties.PolicyDocument, ...((properties.Policies as { PolicyDocument?: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument)];
  return documents.flatMap((doc) => ((doc as { Statement?: Statement[] } | undefined)?.Statement ?? []));
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** See {@link coreMatchers.toPassPolicies}. */
      toPassPolicies(options?: SynthesizeOptions & { readonly allowAcknowledgements?: boolean }): R;
      /** See {@link coreMatchers.toRetainStatefulResources}. */
      toRetainStatefulResources(): R;
      /** See {@link coreMatchers.toHaveNoAdminIamStatements}. */
      toHaveNoAdminIamStatements(): R;
      /** See {@link coreMatchers.toEnforceTlsOnBuckets}. */
      toEnforceTlsOnBuckets(): R;
    }
  }
}
