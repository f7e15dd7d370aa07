import type { AcknowledgementKey, DestructiveChangeKind, RuleSeverity } from '@core-infra/policies';
import type { EnvironmentName } from '../config/load';

/**
 * Names the JSON form of an environment's change summary (`core-deploy diff --format json`), so
 * that `core-deploy comment` can tell it from other JSON and refuse a format it does not know.
 */
export const CHANGE_SUMMARY_SCHEMA = 'core-infra/change-summary/v1';

/**
 * What a deploy does to one resource, from CDK's diff engine:
 * `add` and `import` create or adopt it, `modify` updates it in place, `replace` (or
 * `may-replace`, when CloudFormation decides at deploy time) creates a new physical resource,
 * `destroy` deletes it, and `orphan` removes it from the stack but keeps it (`DeletionPolicy: Retain`).
 */
export type ResourceChangeKind = 'add' | 'import' | 'modify' | 'replace' | 'may-replace' | 'destroy' | 'orphan';

/** How many resources of a stack (or an environment) a deploy adds, modifies, replaces and removes. */
export interface ChangeCounts {
  /** Resources created or imported. */
  readonly added: number;
  /** Resources updated in place. */
  readonly modified: number;
  /** Resources replaced, or possibly replaced. */
  readonly replaced: number;
  /** Resources destroyed or orphaned. */
  readonly removed: number;
}

/** One changed resource of a stack. */
export interface ResourceChange {
  /** Logical id in the template. */
  readonly logicalId: string;
  /** CloudFormation type (the new type when the type changes). */
  readonly resourceType: string;
  /** Construct path from the template's `aws:cdk:path` metadata, when present. */
  readonly constructPath?: string;
  /** What the deploy does to it. */
  readonly change: ResourceChangeKind;
  /** Changed top-level properties (for a replacement, those that force it); `Type` when the type changed. */
  readonly properties: readonly string[];
  /** Whether the type is one the destructive-change gate protects (its data is lost with it). */
  readonly stateful: boolean;
  /** Whether a stateful resource is replaced or removed: the rows a reviewer must see first. */
  readonly destructive: boolean;
}

/** An IAM statement whose change widens access: an `Allow` added or a `Deny` removed. */
export interface IamStatementChange {
  /** `added` for a new `Allow`, `removed` for a dropped `Deny`. */
  readonly change: 'added' | 'removed';
  /** Resources, as CDK's diff renders them (tokens as `${LogicalId.Attribute}`). */
  readonly resource: string;
  /** `Allow` or `Deny`. */
  readonly effect: string;
  /** Actions. */
  readonly action: string;
  /** Principals, e.g. `AWS:${TaskRole}` or `Service:lambda.amazonaws.com`. */
  readonly principal: string;
  /** Conditions, rendered; empty when none. */
  readonly condition: string;
  /** Whether the statement grants on every resource (`*`) or to every principal. */
  readonly wildcard: boolean;
}

/** A managed policy newly attached to an identity. */
export interface ManagedPolicyChange {
  /** The role, user or group, as CDK's diff renders it. */
  readonly identity: string;
  /** The attached policy. */
  readonly managedPolicyArn: string;
}

/** A security-group rule added, which lets more traffic in or out. */
export interface SecurityGroupRuleChange {
  /** Which way the traffic goes. */
  readonly direction: 'ingress' | 'egress';
  /** The group, as CDK's diff renders it. */
  readonly groupId: string;
  /** Protocol and ports, e.g. `TCP 5432`. */
  readonly protocol: string;
  /** Who may connect, e.g. `Everyone (IPv4)` or `sg-…`. */
  readonly peer: string;
  /** Whether the peer is the whole internet (`0.0.0.0/0` or `::/0`). */
  readonly openToInternet: boolean;
}

/** Access a stack's change widens. */
export interface AccessBroadening {
  /** IAM statements that grant more. */
  readonly statements: readonly IamStatementChange[];
  /** Managed policies attached. */
  readonly managedPolicies: readonly ManagedPolicyChange[];
  /** Security-group rules added. */
  readonly securityGroupRules: readonly SecurityGroupRuleChange[];
}

/** Whether a stack is new, gone, changed or the same as its baseline. */
export type StackStatus = 'new' | 'removed' | 'changed' | 'unchanged';

/** One stack compared with its baseline template. */
export interface StackChanges {
  /** Stack id as the CDK CLI selects it (e.g. `core-prod/app`); the baseline key for a removed stack. */
  readonly id: string;
  /** Artifact id, which names the baseline template `<artifactId>.template.json`. */
  readonly artifactId: string;
  /** CloudFormation stack name; unknown for a removed stack. */
  readonly stackName?: string;
  /** New (no baseline), removed (baseline only), changed or unchanged. */
  readonly status: StackStatus;
  /** Resources added, modified, replaced and removed. */
  readonly counts: ChangeCounts;
  /** Changes outside `Resources`: outputs, parameters, conditions, mappings, metadata, rules. */
  readonly otherChanges: number;
  /** Changed resources, destructive changes to stateful resources first. */
  readonly resources: readonly ResourceChange[];
  /** Access the change widens. */
  readonly broadening: AccessBroadening;
}

/** A destructive change to a stateful resource, as the gate judged it. */
export interface GateChange {
  /** Stack id (construct path), e.g. `core-prod/data`. */
  readonly stack: string;
  /** Logical id in the baseline template. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly resourceType: string;
  /** What the deploy would do to it. */
  readonly change: DestructiveChangeKind;
  /** The gate's one-line description. */
  readonly summary: string;
  /** Construct path, when the template records it. */
  readonly constructPath?: string;
  /** The acknowledgement entry that would let it through. */
  readonly acknowledgeWith: AcknowledgementKey;
}

/** A destructive change an acknowledgement lets through. */
export interface AcknowledgedGateChange extends GateChange {
  /** Why it is acceptable, as acknowledged. */
  readonly reason: string;
  /** Last day the acknowledgement holds, when it expires. */
  readonly expires?: string;
}

/** The destructive-change gate's verdict on the assembly (`core-policies diff`, the `check-stateful` target). */
export interface GateVerdict {
  /** Whether the gate passes. */
  readonly passed: boolean;
  /** Destructive changes without an acknowledgement: they block the deploy. */
  readonly blocked: readonly GateChange[];
  /** Destructive changes let through by an acknowledgement. */
  readonly acknowledged: readonly AcknowledgedGateChange[];
  /** Stale or expired acknowledgements, one line each; each fails the gate. */
  readonly problems: readonly string[];
  /** Stateful resources updated in place with a brief outage, one line each; they never block. */
  readonly interruptions: readonly string[];
  /** Stacks the gate skips because they are declared ephemeral (e.g. review apps). */
  readonly exemptStacks: readonly {
    /** Display name of the exempt stack. */
    readonly stack: string;
    /** Why it holds no data worth keeping, as declared. */
    readonly reason: string;
  }[];
}

/** One policy finding, keyed by rule, template and resource rather than by line. */
export interface PolicyFindingSummary {
  /** Rule id, e.g. `CORE.S3.1`. */
  readonly ruleId: string;
  /** Severity of the rule. */
  readonly severity: RuleSeverity;
  /** What is wrong. */
  readonly message: string;
  /** The template's artifact id (its file name without `.template.json`). */
  readonly template: string;
  /** Logical id of the resource; absent for a template-level finding. */
  readonly logicalId?: string;
  /** CloudFormation type, when known. */
  readonly resourceType?: string;
}

/** The policy verdict: what the change adds to the open findings of `core-policies check`. */
export interface PolicyVerdict {
  /** The head report read, as given; absent when there is none. */
  readonly reportFile?: string;
  /** The base branch's report, as given; absent when none was given. */
  readonly baseReportFile?: string;
  /** Open (unacknowledged) findings in the head report. */
  readonly total: number;
  /** Findings acknowledged in the templates. */
  readonly acknowledged: number;
  /** Findings of the base report that the change fixes. */
  readonly resolved: number;
  /** New findings when a base report was given, otherwise every open finding. */
  readonly listed: readonly PolicyFindingSummary[];
  /** Problems with the check itself, as the report lists them. */
  readonly errors: readonly string[];
}

/** Output of `cdk diff` against the deployed stacks (`--deployed`). */
export interface DeployedDiff {
  /** The stacks compared, as the CLI selects them. */
  readonly stacks: readonly string[];
  /** Arguments given to the CDK CLI. */
  readonly args: readonly string[];
  /** The CLI's exit code. */
  readonly exitCode: number;
  /** What the CLI printed, without colour codes. */
  readonly output: string;
}

/** One environment's change summary: the JSON of `core-deploy diff --format json`. */
export interface EnvironmentChangeSummary {
  /** Always {@link CHANGE_SUMMARY_SCHEMA}. */
  readonly schema: typeof CHANGE_SUMMARY_SCHEMA;
  /** The environment. */
  readonly environment: EnvironmentName;
  /** `baseline`: the committed baseline templates; `deployed`: the deployed stacks, by `cdk diff`. */
  readonly comparedWith: 'baseline' | 'deployed';
  /** The baseline folder, as given. */
  readonly baselineDir: string;
  /** Whether any stack changes, appears or disappears (always true for `deployed`, which cannot tell). */
  readonly affected: boolean;
  /** Resource counts over every stack. */
  readonly totals: ChangeCounts;
  /** The environment's stacks in deployment order, then removed stacks; empty for `deployed`. */
  readonly stacks: readonly StackChanges[];
  /** Stacks of the assembly left out of the summary, e.g. dev's review apps, with the reason. */
  readonly leftOut: readonly {
    /** Stack id, e.g. `core-dev/review-42/app`. */
    readonly id: string;
    /** Why it is not in the summary. */
    readonly reason: string;
  }[];
  /** The CDK CLI's diff, for `deployed`. */
  readonly deployedDiff?: DeployedDiff;
  /** The destructive-change gate's verdict. */
  readonly gate: GateVerdict;
  /** The policy verdict. */
  readonly policy: PolicyVerdict;
  /** File name of the full Markdown summary, when it was written (`--output`). */
  readonly fullSummaryFile?: string;
}
