// @ts-check
/* global fetch, AbortSignal, URL */
'use strict';

/**
 * Posts the notifications of CORE's alert topics (CloudWatch alarms, AWS Budgets alerts,
 * ECR image-scan findings) to Slack.
 *
 * The Slack webhook URL is read from Secrets Manager at run time, so it never sits in the
 * function's configuration or in CloudFormation. A failed post throws: Lambda retries the
 * asynchronous SNS invocation and then hands the event to the dead-letter topic, which emails
 * the team, so an alert is never dropped silently.
 */

const { GetSecretValueCommand, SecretsManagerClient } = require('@aws-sdk/client-secrets-manager');
const { formatAlert } = require('./format');

/** Re-read the secret after this long, so a rotated webhook is picked up without a redeploy. */
const SECRET_CACHE_MILLISECONDS = 5 * 60 * 1000;

/** Give up on Slack well inside the function timeout, leaving time to fail cleanly. */
const SLACK_TIMEOUT_MILLISECONDS = 10 * 1000;

const secrets = new SecretsManagerClient({});

/** @type {{ url: string, expiresAt: number } | undefined} */
let cachedWebhook;

/**
 * @typedef {object} SnsRecord
 * @property {{ Subject?: string | null, Message?: string, TopicArn?: string }} Sns
 */

/**
 * @param {{ Records?: SnsRecord[] }} event SNS event
 * @returns {Promise<void>}
 */
async function handler(event) {
  /** @type {SnsRecord[]} */
  const records = event && Array.isArray(event.Records) ? event.Records : [];
  if (records.length === 0) {
    throw new Error('The event holds no SNS records, so there is nothing to post: the function must be invoked by an SNS subscription');
  }
  const environmentName = process.env.ENVIRONMENT_NAME || 'Unknown environment';
  const webhookUrl = await slackWebhookUrl();
  for (const record of records) {
    const sns = (record && record.Sns) || {};
    const slackMessage = formatAlert({ subject: sns.Subject, message: sns.Message, environmentName });
    await postToSlack(webhookUrl, slackMessage);
  }
}

/**
 * @returns {Promise<string>}
 */
async function slackWebhookUrl() {
  const now = Date.now();
  if (cachedWebhook && cachedWebhook.expiresAt > now) return cachedWebhook.url;

  const secretId = process.env.SLACK_WEBHOOK_SECRET_ARN;
  if (!secretId) {
    throw new Error('SLACK_WEBHOOK_SECRET_ARN is not set: the function cannot find the Slack webhook secret');
  }
  const response = await secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  const url = webhookFromSecretString(response.SecretString);
  cachedWebhook = { url, expiresAt: now + SECRET_CACHE_MILLISECONDS };
  return url;
}

/**
 * Accepts the webhook stored as the plain secret string or as JSON with a `url` or
 * `webhookUrl` key, and refuses anything that is not an HTTPS URL (the value is never logged).
 *
 * @param {string | undefined} secretString
 * @returns {string}
 */
function webhookFromSecretString(secretString) {
  let candidate = (secretString || '').trim();
  if (candidate.startsWith('{')) {
    try {
      const parsed = JSON.parse(candidate);
      candidate = String(parsed.url || parsed.webhookUrl || '');
    } catch {
      candidate = '';
    }
  }
  let url;
  try {
    url = new URL(candidate);
  } catch {
    throw new Error('The Slack webhook secret does not hold a URL: store the webhook URL as the secret value');
  }
  if (url.protocol !== 'https:') {
    throw new Error('The Slack webhook secret holds a non-HTTPS URL: store the https:// webhook URL Slack issued');
  }
  return url.toString();
}

/**
 * @param {string} webhookUrl
 * @param {import('./format').SlackMessage} slackMessage
 * @returns {Promise<void>}
 */
async function postToSlack(webhookUrl, slackMessage) {
  const response = await fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(slackMessage),
    signal: AbortSignal.timeout(SLACK_TIMEOUT_MILLISECONDS),
  });
  if (!response.ok) {
    const detail = (await response.text()).slice(0, 200);
    throw new Error(`Slack rejected the message with HTTP ${response.status}: ${detail}`);
  }
}

module.exports = { handler };
