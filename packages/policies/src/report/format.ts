import { formatJunit } from './format-junit';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import type { PolicyReport } from './policy-report';

/** Output formats of the policy report. */
export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit'] as const;

/** One of {@link REPORT_FORMATS}. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** File name each format is written under when a report folder is given. */
export const REPORT_FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
  text: 'policy-report.txt',
  json: 'policy-report.json',
  sarif: 'policy-report.sarif',
  junit: 'policy-report.junit.xml',
};

/**
 * Renders a report in one format.
 *
 * @param report the report
 * @param format `text` for people, `json` for tools, `sarif` for code scanning, `junit` for CI test views
 */
export function formatReport(report: PolicyReport, format: ReportFormat): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'json':
      return JSON.stringify(report, null, 2) + '\n';
    case 'sarif':
      return JSON.stringify(formatSarif(report), null, 2) + '\n';
    case 'junit':
      return formatJunit(report);
  }
}
