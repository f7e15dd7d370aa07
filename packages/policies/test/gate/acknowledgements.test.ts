import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  GateInputError,
  isAcknowledgementExpired,
  loadGateAcknowledgements,
  parseGateAcknowledgements,
  validateGateAcknowledgements,
} from '../../src/gate';
import { removeScratch, scratchDir } from './gate-apps';

const FILE = 'apps/dev/baseline/acknowledgements.yaml';
const REASON = 'Uploads are copied to the new bucket before the switch-over';

function entry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { stack: 'Data', logicalId: 'UploadsBucket1A2B3C4D', change: 'replace', reason: REASON, ...overrides };
}

describe('parseGateAcknowledgements', () => {
  test('reads a YAML list, trimming values', () => {
    // GIVEN
    const text = [
      '# Reviewed destructive changes',
      '- stack: Data',
      '  logicalId: UploadsBucket1A2B3C4D',
      '  change: replace',
      `  reason: "  ${REASON}  "`,
      '  expires: 2026-12-31',
    ].join('\n');

    // THEN
    expect(parseGateAcknowledgements(text, FILE)).toEqual([
      { stack: 'Data', logicalId: 'UploadsBucket1A2B3C4D', change: 'replace', reason: REASON, expires: '2026-12-31' },
    ]);
  });

  test('an empty file means no acknowledgements', () => {
    expect(parseGateAcknowledgements('# nothing acknowledged\n', FILE)).toEqual([]);
  });

  test('JSON is accepted', () => {
    expect(parseGateAcknowledgements(JSON.stringify([entry()]), 'acknowledgements.json')).toHaveLength(1);
  });

  test('invalid YAML is an input error naming the file', () => {
    expect(() => parseGateAcknowledgements('- stack: [Data', FILE)).toThrow(new RegExp(`^${FILE} is not valid YAML: .*; fix the syntax$`));
  });

  test('a mapping instead of a list is an input error', () => {
    expect(() => parseGateAcknowledgements('stack: Data\n', FILE)).toThrow(
      `${FILE} must hold a list of acknowledgements, got a mapping; write one "- stack: ..." entry per acknowledged change`,
    );
  });
});

describe('validateGateAcknowledgements', () => {
  test('a short reason names the field, its value and the fix', () => {
    expect(() => validateGateAcknowledgements([entry({ reason: 'planned' })], FILE)).toThrow(
      new GateInputError(
        `${FILE} is invalid: entry 0 (logicalId UploadsBucket1A2B3C4D): reason "planned" is 7 characters, fewer than 20; ` +
          "write at least 20 characters saying why losing this resource's data is acceptable",
      ),
    );
  });

  test('a missing reason is reported as missing', () => {
    const { reason: _reason, ...withoutReason } = entry();
    expect(() => validateGateAcknowledgements([withoutReason], FILE)).toThrow(/entry 0 \(logicalId UploadsBucket1A2B3C4D\): reason is missing; write at least 20/);
  });

  test('an empty stack or logical id is an error', () => {
    expect(() => validateGateAcknowledgements([entry({ stack: ' ', logicalId: '' })], FILE)).toThrow(
      /stack " " is invalid .*; set it to the stack artifact id.*; entry 0: logicalId "" is invalid/,
    );
  });

  test('an unknown key is an error', () => {
    expect(() => validateGateAcknowledgements([entry({ approvedBy: 'someone' })], FILE)).toThrow(
      /entry 0 \(logicalId UploadsBucket1A2B3C4D\) has unknown key "approvedBy"; remove it \(allowed keys: stack, logicalId, change, reason, expires\)/,
    );
  });

  test('regenerate is a change kind like the others', () => {
    expect(validateGateAcknowledgements([entry({ logicalId: 'RailsMasterKey1A2B3C4D', change: 'regenerate' })], FILE)).toEqual([
      expect.objectContaining({ logicalId: 'RailsMasterKey1A2B3C4D', change: 'regenerate' }),
    ]);
  });

  test('an unknown change kind is an error listing the allowed ones', () => {
    expect(() => validateGateAcknowledgements([entry({ change: 'delete' })], FILE)).toThrow(
      /change "delete" is invalid .*; use one of replace, destroy, orphan, regenerate, as printed by the gate report/,
    );
  });

  test('an expiry that is not a calendar date is an error', () => {
    expect(() => validateGateAcknowledgements([entry({ expires: '2026-02-30' })], FILE)).toThrow(/expires "2026-02-30" is invalid \(not a calendar date\)/);
    expect(() => validateGateAcknowledgements([entry({ expires: 'next week' })], FILE)).toThrow(/expires "next week" is invalid/);
  });

  test('a duplicate entry is an error', () => {
    expect(() => validateGateAcknowledgements([entry(), entry({ reason: `${REASON}, again` })], FILE)).toThrow(
      `${FILE} is invalid: entries 0 and 1 both acknowledge replace of UploadsBucket1A2B3C4D in stack Data; keep one of them`,
    );
  });

  test('an entry that is not a mapping is an error', () => {
    expect(() => validateGateAcknowledgements(['Data/UploadsBucket'], FILE)).toThrow(/entry 0 must be a mapping with keys stack, logicalId, change and reason, got "Data\/UploadsBucket"/);
  });
});

describe('loadGateAcknowledgements', () => {
  let dir: string;
  beforeAll(() => {
    dir = scratchDir('acknowledgements');
  });
  afterAll(() => removeScratch(dir));

  test('reads a file', () => {
    const file = path.join(dir, 'acknowledgements.yaml');
    writeFileSync(file, `- stack: Data\n  logicalId: Uploads\n  change: orphan\n  reason: ${REASON}\n`);
    expect(loadGateAcknowledgements(file)).toEqual([{ stack: 'Data', logicalId: 'Uploads', change: 'orphan', reason: REASON }]);
  });

  test('a missing file is an input error', () => {
    const file = path.join(dir, 'missing.yaml');
    expect(() => loadGateAcknowledgements(file)).toThrow(`acknowledgement file ${file} does not exist; pass the path of an existing file, or omit --acknowledgements`);
  });
});

describe('isAcknowledgementExpired', () => {
  const acknowledgement = { stack: 'Data', logicalId: 'Uploads', change: 'replace' as const, reason: REASON, expires: '2026-03-01' };

  test('is valid through its expiry day (UTC)', () => {
    expect(isAcknowledgementExpired(acknowledgement, new Date('2026-03-01T23:59:59Z'))).toBe(false);
    expect(isAcknowledgementExpired(acknowledgement, new Date('2026-03-02T00:00:00Z'))).toBe(true);
  });

  test('never expires without a date', () => {
    const { expires: _expires, ...open } = acknowledgement;
    expect(isAcknowledgementExpired(open, new Date('2999-01-01T00:00:00Z'))).toBe(false);
  });
});
