import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GITHUB_ACTIONS_AUDIENCE, GITHUB_ACTIONS_OIDC_HOST, GitHubActionsRole, type GitHubActionsRoleProps } from './github-actions-role';

/** Props for {@link GitHubActionsAccess}. */
export interface GitHubActionsAccessProps {
  /**
   * ARN of an OIDC provider for GitHub Actions that already exists in the account (IAM
   * allows one provider per issuer per account).
   *
   * @default - a new provider for `token.actions.githubusercontent.com` with audience `sts.amazonaws.com`
   */
  readonly existingOidcProviderArn?: string;
}

/**
 * GitHub Actions' way into the meta account: the OIDC identity provider for
 * `token.actions.githubusercontent.com` (audience `sts.amazonaws.com`) and the CI roles
 * that trust it, added with {@link addRole}.
 *
 * No certificate thumbprint is pinned: IAM validates GitHub's tokens against its own store
 * of trusted root CAs, so a pinned thumbprint only adds an outage when GitHub rotates its
 * certificate.
 */
export class GitHubActionsAccess extends Construct {
  /** The OIDC provider the roles trust. */
  public readonly oidcProvider: iam.IOidcProvider;

  /** Roles added so far. */
  public readonly roles: GitHubActionsRole[] = [];

  constructor(scope: Construct, id: string, props: GitHubActionsAccessProps = {}) {
    super(scope, id);
    this.oidcProvider =
      props.existingOidcProviderArn === undefined
        ? new iam.OidcProviderNative(this, 'OidcProvider', {
            url: `https://${GITHUB_ACTIONS_OIDC_HOST}`,
            clientIds: [GITHUB_ACTIONS_AUDIENCE],
          })
        : iam.OidcProviderNative.fromOidcProviderArn(this, 'OidcProvider', props.existingOidcProviderArn);
  }

  /**
   * Adds a CI role trusted by this provider for one repository's listed refs and environments.
   *
   * @param id construct id of the role
   * @param props the role's repository, refs, environments and permissions
   */
  public addRole(id: string, props: Omit<GitHubActionsRoleProps, 'oidcProvider'>): GitHubActionsRole {
    const role = new GitHubActionsRole(this, id, { ...props, oidcProvider: this.oidcProvider });
    this.roles.push(role);
    return role;
  }
}
