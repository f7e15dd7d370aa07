// @ts-check
'use strict';

/**
 * Turns the SNS notifications that reach the alert topics into Slack messages.
 *
 * Pure functions only: no AWS SDK, no network, no environment variables, so the whole
 * formatting behaviour is unit-tested without mocks. The handler (index.js) owns I/O.
 */

/**
 * @typedef {object} AlertInput
 * @property {string | undefined | null} [subject] SNS subject, when the publisher set one
 * @property {unknown} message SNS message body (normally a string, possibly JSON)
 * @property {string} environmentName name of the environment shown in every message, e.g. "Production"
 */

/**
 * @typedef {object} SlackTextObject
 * @property {'mrkdwn' | 'plain_text'} type
 * @property {string} text
 */

/**
 * @typedef {object} SlackBlock
 * @property {string} type
 * @property {SlackTextObject} [text]
 * @property {SlackTextObject[]} [fields]
 * @property {SlackTextObject[]} [elements]
 */

/**
 * @typedef {object} SlackMessage
 * @property {string} text notification fallback, shown in push notifications and by clients without blocks
 * @property {{ color: string, blocks: SlackBlock[] }[]} attachments one coloured attachment carrying the detail
 */

/**
 * @typedef {'alarm' | 'ok' | 'insufficient-data' | 'budget' | 'scan' | 'unknown'} AlertKind
 */

/** Slack rejects section text longer than 3000 characters. */
const MAX_SECTION_TEXT = 3000;

/** Colours of the attachment bar, by kind of alert. */
const COLOURS = /** @type {const} */ ({
  alarm: '#d4351c',
  ok: '#00703c',
  'insufficient-data': '#f47738',
  budget: '#f47738',
  scan: '#d4351c',
  unknown: '#505a5f',
});

/** Severities of ECR basic scanning, most severe first. */
const SCAN_SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

/**
 * Formats one SNS notification as a Slack message. Never throws: anything it does not
 * recognise, including malformed input, becomes a generic message so that no alert is lost.
 *
 * @param {AlertInput} input
 * @returns {SlackMessage}
 */
function formatAlert(input) {
  const environmentName = nonEmptyString(input && input.environmentName) || 'Unknown environment';
  const subject = nonEmptyString(input && input.subject);
  const raw = input ? input.message : undefined;
  const body = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : safeStringify(raw);
  const parsed = typeof raw === 'string' ? parseJson(raw) : isRecord(raw) ? raw : undefined;

  if (isRecord(parsed) && typeof parsed.AlarmName === 'string' && typeof parsed.NewStateValue === 'string') {
    return formatCloudWatchAlarm(parsed, environmentName);
  }
  if (isRecord(parsed) && parsed.source === 'aws.ecr' && parsed['detail-type'] === 'ECR Image Scan') {
    return formatEcrScan(parsed, environmentName);
  }
  if (parsed === undefined && isBudgetNotification(subject, body)) {
    return formatBudget(subject, body, environmentName);
  }
  return formatUnknown(subject, body, environmentName);
}

/**
 * @param {Record<string, unknown>} alarm CloudWatch alarm state-change notification
 * @param {string} environmentName
 * @returns {SlackMessage}
 */
function formatCloudWatchAlarm(alarm, environmentName) {
  const state = String(alarm.NewStateValue);
  /** @type {AlertKind} */
  const kind = state === 'ALARM' ? 'alarm' : state === 'OK' ? 'ok' : 'insufficient-data';
  const icon = kind === 'alarm' ? ':rotating_light:' : kind === 'ok' ? ':white_check_mark:' : ':grey_question:';
  const name = String(alarm.AlarmName);
  const headline = `${icon} ${environmentName}: ${name} is ${state}`;

  /** @type {SlackTextObject[]} */
  const fields = [field('State', `${stringOr(alarm.OldStateValue, '?')} → ${state}`)];
  if (typeof alarm.Region === 'string') fields.push(field('Region', alarm.Region));
  if (typeof alarm.StateChangeTime === 'string') fields.push(field('Changed at', alarm.StateChangeTime));
  if (typeof alarm.AWSAccountId === 'string') fields.push(field('Account', alarm.AWSAccountId));

  /** @type {SlackBlock[]} */
  const blocks = [section(`*${escapeMrkdwn(headline)}*`)];
  const description = nonEmptyString(alarm.AlarmDescription);
  if (description) blocks.push(section(escapeMrkdwn(description)));
  blocks.push({ type: 'section', fields });
  const reason = nonEmptyString(alarm.NewStateReason);
  if (reason) blocks.push(context(`Reason: ${escapeMrkdwn(reason)}`));
  return message(headline, kind, blocks);
}

/**
 * @param {Record<string, unknown>} event EventBridge "ECR Image Scan" event
 * @param {string} environmentName
 * @returns {SlackMessage}
 */
function formatEcrScan(event, environmentName) {
  const detail = isRecord(event.detail) ? event.detail : {};
  const repository = stringOr(detail['repository-name'], 'unknown repository');
  const counts = isRecord(detail['finding-severity-counts']) ? detail['finding-severity-counts'] : {};
  const tags = Array.isArray(detail['image-tags']) ? detail['image-tags'].filter((tag) => typeof tag === 'string') : [];
  const digest = stringOr(detail['image-digest'], 'unknown digest');

  const severityText = SCAN_SEVERITIES.filter((severity) => typeof counts[severity] === 'number' && Number(counts[severity]) > 0)
    .map((severity) => `${severity}: ${counts[severity]}`)
    .join(', ');
  const headline = `:warning: ${environmentName}: image scan of ${repository} found vulnerabilities`;

  /** @type {SlackTextObject[]} */
  const fields = [
    field('Findings', severityText || 'none reported'),
    field('Image tags', tags.length > 0 ? tags.join(', ') : 'untagged'),
    field('Scan status', stringOr(detail['scan-status'], 'unknown')),
  ];
  if (typeof event.region === 'string') fields.push(field('Region', event.region));

  return message(headline, 'scan', [section(`*${escapeMrkdwn(headline)}*`), { type: 'section', fields }, context(`Digest: ${escapeMrkdwn(digest)}`)]);
}

/**
 * AWS Budgets sends plain text, with the subject "AWS Budgets: <name> has exceeded your alert threshold".
 *
 * @param {string | undefined} subject
 * @param {string} body
 * @returns {boolean}
 */
function isBudgetNotification(subject, body) {
  return (subject !== undefined && subject.startsWith('AWS Budgets')) || /^Budget Name:/m.test(body);
}

/**
 * @param {string | undefined} subject
 * @param {string} body AWS Budgets plain-text notification
 * @param {string} environmentName
 * @returns {SlackMessage}
 */
function formatBudget(subject, body, environmentName) {
  const values = budgetFields(body);
  const name = values.get('Budget Name') || budgetNameFromSubject(subject) || 'unknown budget';
  const alertType = values.get('Alert Type');
  const headline = `:money_with_wings: ${environmentName}: budget ${name} ${alertType === 'FORECASTED' ? 'is forecast to exceed' : 'has exceeded'} its threshold`;

  /** @type {SlackTextObject[]} */
  const fields = [];
  for (const [label, key] of [
    ['Alert type', 'Alert Type'],
    ['Budgeted amount', 'Budgeted Amount'],
    ['Threshold', 'Alert Threshold'],
    ['Actual amount', 'ACTUAL Amount'],
    ['Forecast amount', 'FORECASTED Amount'],
  ]) {
    const value = values.get(key);
    if (value) fields.push(field(label, value));
  }
  /** @type {SlackBlock[]} */
  const blocks = [section(`*${escapeMrkdwn(headline)}*`)];
  if (fields.length > 0) {
    blocks.push({ type: 'section', fields });
  } else {
    blocks.push(section(escapeMrkdwn(truncate(body))));
  }
  return message(headline, 'budget', blocks);
}

/**
 * @param {string} body
 * @returns {Map<string, string>}
 */
function budgetFields(body) {
  const values = new Map();
  for (const line of body.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z ]+?):\s*(.+?)\s*$/.exec(line);
    if (match && !values.has(match[1])) values.set(match[1], match[2]);
  }
  return values;
}

/**
 * @param {string | undefined} subject
 * @returns {string | undefined}
 */
function budgetNameFromSubject(subject) {
  const match = subject === undefined ? null : /^AWS Budgets:\s*(.+?)\s+has exceeded/.exec(subject);
  return match ? match[1] : undefined;
}

/**
 * @param {string | undefined} subject
 * @param {string} body
 * @param {string} environmentName
 * @returns {SlackMessage}
 */
function formatUnknown(subject, body, environmentName) {
  const headline = `:information_source: ${environmentName}: ${subject || 'notification'}`;
  const text = body.trim() === '' ? '_The notification had no message body._' : '```' + truncate(body, MAX_SECTION_TEXT - 6).replace(/```/g, "'''") + '```';
  return message(headline, 'unknown', [section(`*${escapeMrkdwn(headline)}*`), section(text)]);
}

/**
 * @param {string} headline
 * @param {AlertKind} kind
 * @param {SlackBlock[]} blocks
 * @returns {SlackMessage}
 */
function message(headline, kind, blocks) {
  return { text: truncate(headline), attachments: [{ color: COLOURS[kind], blocks }] };
}

/**
 * @param {string} text
 * @returns {SlackBlock}
 */
function section(text) {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text) } };
}

/**
 * @param {string} text
 * @returns {SlackBlock}
 */
function context(text) {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text) }] };
}

/**
 * @param {string} label
 * @param {string} value
 * @returns {SlackTextObject}
 */
function field(label, value) {
  return { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(label)}*\n${escapeMrkdwn(value)}`, 2000) };
}

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters.
 *
 * @param {string} text
 * @returns {string}
 */
function escapeMrkdwn(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * @param {string} text
 * @param {number} [limit]
 * @returns {string}
 */
function truncate(text, limit = MAX_SECTION_TEXT) {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/**
 * @param {string} text
 * @returns {unknown}
 */
function parseJson(text) {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function safeStringify(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * @param {unknown} value
 * @returns {string | undefined}
 */
function nonEmptyString(value) {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * @param {unknown} value
 * @param {string} fallback
 * @returns {string}
 */
function stringOr(value, fallback) {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

module.exports = { formatAlert };
