import type { RiskRule } from '../../risk-rule';
import { LAMBDA_URL_AUTH_REQUIRED } from './lambda-url-auth-required';
import { RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL } from './resource-policy-no-public-principal';
import { RESOURCE_POLICY_TRUSTED_ACCOUNTS } from './resource-policy-trusted-accounts';

export { LAMBDA_URL_AUTH_REQUIRED, RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL, RESOURCE_POLICY_TRUSTED_ACCOUNTS };

/** Risk family 1: resource-based policies (public principals, foreign accounts, open function URLs). */
export const RESOURCE_POLICY_RISK_RULES: readonly RiskRule[] = [RESOURCE_POLICY_NO_PUBLIC_PRINCIPAL, RESOURCE_POLICY_TRUSTED_ACCOUNTS, LAMBDA_URL_AUTH_REQUIRED];
