// Typed calls of the dialogues report (app/reports.go). The figures are data (counts, ms,
// averages); features/report words them.
import { call } from './api';

export type ReportGroupBy = 'manager' | 'type';

/** One line of the report (inbox.ReportLine): averages are 0 when their count is 0. */
export interface ReportLine {
  managerId: number;
  /** The manager's name or the dialogue type, as stored: render as text. */
  name: string;
  cycles: number;
  closed: number;
  firstResponseMs: number;
  firstResponseN: number;
  resolutionMs: number;
  clientRating: number;
  clientRatingN: number;
  managerRating: number;
  managerRatingN: number;
}

export interface DialoguesReport {
  from: number;
  to: number;
  groupBy: ReportGroupBy;
  lines: ReportLine[] | null;
  total: ReportLine;
}

export const reportApi = {
  /** The cycles opened in [from, to) (unix ms), grouped by manager or type. */
  DialoguesReport: (q: { from: number; to: number; groupBy: ReportGroupBy }) => call<DialoguesReport>('Workspace', 'DialoguesReport', q),
  /** The CSV export's text: one row per cycle. */
  DialoguesReportCSV: (from: number, to: number) => call<string>('Workspace', 'DialoguesReportCSV', from, to),
  /** Shows the save dialog and writes the CSV; the path, or '' when cancelled. */
  ExportDialoguesReport: (from: number, to: number, title: string, defaultName: string) =>
    call<string>('Workspace', 'ExportDialoguesReport', from, to, title, defaultName),
};
