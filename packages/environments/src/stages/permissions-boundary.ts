import { PermissionsBoundary } from 'aws-cdk-lib';
import { PERMISSIONS_BOUNDARY_NAME } from '../bootstrap/bootstrap-template';

/**
 * The permissions boundary `core-deploy bootstrap` creates in every account and region, applied by
 * every CORE stage to each IAM role and user of its stacks (CDK's own custom-resource roles
 * included): whatever a role's policies say, it can never act beyond the services its
 * environment uses, create a role without this boundary, or change the boundary.
 */
export const BOOTSTRAP_PERMISSIONS_BOUNDARY: PermissionsBoundary = PermissionsBoundary.fromName(PERMISSIONS_BOUNDARY_NAME);
