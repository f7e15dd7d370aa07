interface SlackTextObject {
  type: string;
  text: string;
}
interface SlackBlock {
  type: string;
  text?: SlackTextObject;
  fields?: SlackTextObject[];
  elements?: SlackTextObject[];
}
interface SlackMessage {
  text: string;
  attachments: { color: string; blocks: SlackBlock[] }[];
}
interface FormatModule {
  formatAlert(input: { subject?: string | null; message: unknown; environmentName: string }): SlackMessage;
}

// The formatter ships as plain JavaScript inside the Lambda asset; load it the way the runtime does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { formatAlert } = require('../../assets/alert-notifier/format') as FormatModule;

/** Every piece of text in the message, so assertions do not depend on block layout. */
function allText(message: SlackMessage): string {
  const parts = [message.text];
  for (const attachment of message.attachments) {
    for (const block of attachment.blocks) {
      if (block.text) parts.push(block.text.text);
      for (const item of [...(block.fields ?? []), ...(block.elements ?? [])]) parts.push(item.text);
    }
  }
  return parts.join('\n');
}

const alarmMessage = {
  AlarmName: 'core-prod-app-average-cpu',
  AlarmDescription: 'Average CPU of the app service is at or above 80 %',
  AWSAccountId: '123456789012',
  NewStateValue: 'ALARM',
  NewStateReason: 'Threshold Crossed: 3 out of the last 5 datapoints were greater than or equal to the threshold (80.0).',
  StateChangeTime: '2026-04-01T00:05:00.000+0000',
  Region: 'EU (London)',
  OldStateValue: 'OK',
};

describe('alert-notifier formatAlert', () => {
  describe('GIVEN a CloudWatch alarm entering ALARM', () => {
    const message = formatAlert({ subject: 'ALARM: "core-prod-app-average-cpu"', message: JSON.stringify(alarmMessage), environmentName: 'Production' });

    test('THEN the headline names the environment, the alarm and its state', () => {
      expect(message.text).toBe(':rotating_light: Production: core-prod-app-average-cpu is ALARM');
    });

    test('THEN the attachment is red and carries the description, transition and reason', () => {
      expect(message.attachments[0].color).toBe('#d4351c');
      const text = allText(message);
      expect(text).toContain('Average CPU of the app service is at or above 80 %');
      expect(text).toContain('OK → ALARM');
      expect(text).toContain('EU (London)');
      expect(text).toContain('Threshold Crossed: 3 out of the last 5 datapoints');
    });
  });

  describe('GIVEN a CloudWatch alarm returning to OK', () => {
    const message = formatAlert({ message: JSON.stringify({ ...alarmMessage, NewStateValue: 'OK', OldStateValue: 'ALARM' }), environmentName: 'Staging' });

    test('THEN the message is green and says the alarm is OK', () => {
      expect(message.text).toBe(':white_check_mark: Staging: core-prod-app-average-cpu is OK');
      expect(message.attachments[0].color).toBe('#00703c');
      expect(allText(message)).toContain('ALARM → OK');
    });
  });

  describe('GIVEN an alarm with INSUFFICIENT_DATA', () => {
    const message = formatAlert({ message: JSON.stringify({ ...alarmMessage, NewStateValue: 'INSUFFICIENT_DATA' }), environmentName: 'Review' });

    test('THEN the message is amber and says so', () => {
      expect(message.text).toContain('is INSUFFICIENT_DATA');
      expect(message.attachments[0].color).toBe('#f47738');
    });
  });

  describe('GIVEN an AWS Budgets notification (plain text)', () => {
    const body = [
      'AWS Budget Notification April 20, 2026',
      'AWS Account 123456789012',
      '',
      'Dear AWS Customer,',
      '',
      'You requested that we alert you when the FORECASTED Cost associated with your core-prod-account-monthly-budget budget is greater than $775.00 for the current month.',
      '',
      'Budget Name: core-prod-account-monthly-budget',
      'Budget Type: Cost',
      'Budgeted Amount: $775.00',
      'Alert Type: FORECASTED',
      'Alert Threshold: > $775.00',
      'FORECASTED Amount: $812.34',
    ].join('\n');
    const message = formatAlert({ subject: 'AWS Budgets: core-prod-account-monthly-budget has exceeded your alert threshold', message: body, environmentName: 'Production' });

    test('THEN the headline names the budget and says it is forecast to exceed', () => {
      expect(message.text).toBe(':money_with_wings: Production: budget core-prod-account-monthly-budget is forecast to exceed its threshold');
    });

    test('THEN the fields show the budgeted, threshold and forecast amounts', () => {
      const text = allText(message);
      expect(text).toContain('$775.00');
      expect(text).toContain('&gt; $775.00');
      expect(text).toContain('$812.34');
      expect(message.attachments[0].color).toBe('#f47738');
    });
  });

  describe('GIVEN an AWS Budgets ACTUAL notification with only a subject to name it', () => {
    const message = formatAlert({ subject: 'AWS Budgets: core-dev-account-monthly-budget has exceeded your alert threshold', message: 'Alert Type: ACTUAL\nACTUAL Amount: $801.00', environmentName: 'Review' });

    test('THEN the budget name comes from the subject and the message says it has exceeded', () => {
      expect(message.text).toBe(':money_with_wings: Review: budget core-dev-account-monthly-budget has exceeded its threshold');
      expect(allText(message)).toContain('$801.00');
    });
  });

  describe('GIVEN an ECR image scan event with findings', () => {
    const event = {
      version: '0',
      id: '85fc3613-e913-7fc4-a80c-a3753e4aa9ae',
      'detail-type': 'ECR Image Scan',
      source: 'aws.ecr',
      account: '123456789012',
      time: '2026-04-01T10:00:00Z',
      region: 'eu-west-2',
      resources: ['arn:aws:ecr:eu-west-2:123456789012:repository/core'],
      detail: {
        'scan-status': 'COMPLETE',
        'repository-name': 'core',
        'finding-severity-counts': { HIGH: 2, CRITICAL: 1, LOW: 0 },
        'image-digest': 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234',
        'image-tags': ['3f2a1bc', 'staging-20260401100000'],
      },
    };
    const message = formatAlert({ message: JSON.stringify(event), environmentName: 'Meta' });

    test('THEN the headline names the repository', () => {
      expect(message.text).toBe(':warning: Meta: image scan of core found vulnerabilities');
    });

    test('THEN findings are listed most severe first, zero counts omitted, with tags and digest', () => {
      const text = allText(message);
      expect(text).toContain('CRITICAL: 1, HIGH: 2');
      expect(text).not.toContain('LOW');
      expect(text).toContain('3f2a1bc, staging-20260401100000');
      expect(text).toContain('sha256:7f5b2640');
      expect(message.attachments[0].color).toBe('#d4351c');
    });
  });

  describe('GIVEN a notification of a kind the formatter does not know', () => {
    const message = formatAlert({ subject: 'Something happened', message: '{"hello":"world"}', environmentName: 'Staging' });

    test('THEN it falls back to the subject and the raw body in a code block', () => {
      expect(message.text).toBe(':information_source: Staging: Something happened');
      expect(allText(message)).toContain('```{"hello":"world"}```');
      expect(message.attachments[0].color).toBe('#505a5f');
    });
  });

  describe('GIVEN malformed input', () => {
    test('THEN truncated JSON falls back to the raw text instead of throwing', () => {
      const message = formatAlert({ message: '{"AlarmName": "core-prod', environmentName: 'Production' });
      expect(message.text).toBe(':information_source: Production: notification');
      expect(allText(message)).toContain('{"AlarmName": "core-prod');
    });

    test('THEN a missing message body is reported as empty', () => {
      const message = formatAlert({ subject: null, message: undefined, environmentName: '' });
      expect(message.text).toBe(':information_source: Unknown environment: notification');
      expect(allText(message)).toContain('no message body');
    });

    test('THEN a non-string body is shown as JSON', () => {
      const message = formatAlert({ message: { unexpected: true }, environmentName: 'Production' });
      expect(allText(message)).toContain('{"unexpected":true}');
    });

    test('THEN Slack control characters are escaped', () => {
      const message = formatAlert({ message: JSON.stringify({ ...alarmMessage, AlarmDescription: '<!channel> & friends' }), environmentName: 'Production' });
      expect(allText(message)).toContain('&lt;!channel&gt; &amp; friends');
    });

    test('THEN a very long body is cut to what Slack accepts', () => {
      const message = formatAlert({ message: 'x'.repeat(10_000), environmentName: 'Production' });
      for (const block of message.attachments[0].blocks) {
        expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      }
    });
  });
});
