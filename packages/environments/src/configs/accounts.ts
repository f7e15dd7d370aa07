/**
 * Account ids the committed configs (`apps/<env>/config.yaml`) use. They are documentation placeholders, not CORE's real
 * accounts: a team deploying this supplies its own through a config file
 * (`CORE_CONFIG_FILE` or `-c configFile=…`), and the deploy pipeline refuses these values.
 */
export const PLACEHOLDER_ACCOUNTS = {
  /** Meta account (registry, deployment state, CI access). */
  meta: '100000000001',
  /** Development account (review apps). */
  dev: '100000000002',
  /** Staging account. */
  staging: '100000000003',
  /** Production account. */
  production: '100000000004',
} as const;

/** Whether an account id is one of {@link PLACEHOLDER_ACCOUNTS}. */
export function isPlaceholderAccount(account: string): boolean {
  return (Object.values(PLACEHOLDER_ACCOUNTS) as string[]).includes(account);
}
