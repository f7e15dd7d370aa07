import { IDENTITY_POLICY_PROPERTIES, readPolicyDocuments, type PolicyDocumentRead } from '../../policy-documents';
import type { RiskResource } from '../../risk-rule';

/** The identity policy documents of a resource (inline policies of roles, users, groups and policy resources). */
export function identityDocuments(resource: RiskResource): PolicyDocumentRead[] {
  return readPolicyDocuments(resource, IDENTITY_POLICY_PROPERTIES[resource.type] ?? []);
}

/** The CloudFormation types that hold identity policies. */
export const IDENTITY_POLICY_TYPES: readonly string[] = Object.keys(IDENTITY_POLICY_PROPERTIES);
