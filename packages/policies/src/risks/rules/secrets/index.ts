import type { RiskRule } from '../../risk-rule';
import { ENVIRONMENT_NO_PLAINTEXT_SECRET } from './environment-no-plaintext-secret';
import { SECRET_PROPERTIES_NO_LITERAL } from './secret-properties-no-literal';
import { SSM_PARAMETER_NO_PLAINTEXT_SECRET } from './ssm-parameter-no-plaintext-secret';

export { ENVIRONMENT_NO_PLAINTEXT_SECRET, SECRET_PROPERTIES_NO_LITERAL, SSM_PARAMETER_NO_PLAINTEXT_SECRET };

/** Risk family 3: plaintext secrets (literal passwords and tokens, plain SSM parameters, environment variables). */
export const SECRET_RISK_RULES: readonly RiskRule[] = [SECRET_PROPERTIES_NO_LITERAL, SSM_PARAMETER_NO_PLAINTEXT_SECRET, ENVIRONMENT_NO_PLAINTEXT_SECRET];
