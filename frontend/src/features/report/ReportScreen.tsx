// The dialogues report (README "The dialogues report"): a period, a grouping, the table, a bar
// chart of one column, and the CSV export (one row per dialogue cycle) through the native save
// dialog. Names (managers, dialogue types) are rendered as text, never as markup.
import { useEffect, useMemo, useState } from 'react';
import { Modal } from '../../lib/Modal';
import { useWords } from '../../lib/i18n';
import { reportApi, type DialoguesReport, type ReportGroupBy, type ReportLine } from '../../lib/reportApi';
import { useReportError } from '../../lib/toast';
import { reportWords, type ReportKey } from './report-i18n';
import { CHART_METRICS, PERIODS, chartValue, csvName, dayInput, formatRating, periodRange, spanParts, type ChartMetric, type PeriodKind } from './model';
import './report.css';

interface Props {
  onClose: () => void;
  /** The clock, for tests; the report's days are this computer's local days. */
  now?: number;
}

const COLUMN_OF_METRIC: Record<ChartMetric, ReportKey> = {
  cycles: 'report.col.cycles',
  firstResponse: 'report.col.firstResponse',
  resolution: 'report.col.resolution',
  clientRating: 'report.col.clientRating',
};

export function ReportScreen({ onClose, now }: Props) {
  const { t, locale } = useWords(reportWords);
  const reportError = useReportError();
  const [clock] = useState(() => now ?? Date.now());
  const [period, setPeriod] = useState<PeriodKind>('7d');
  const [custom, setCustom] = useState(() => ({ from: dayInput(clock - 6 * 86_400_000), to: dayInput(clock) }));
  const [groupBy, setGroupBy] = useState<ReportGroupBy>('manager');
  const [metric, setMetric] = useState<ChartMetric>('cycles');
  // The last report that came and what it was asked for (the period and the grouping). The
  // screen is loading while that is not what is asked now: a click on another period renders
  // before the effect that fetches it runs. A failed request ends it too (the toast says why;
  // the last report stays).
  const [answer, setAnswer] = useState<{ asked: string; report: DialoguesReport | null }>({ asked: '', report: null });
  const [saved, setSaved] = useState('');
  const range = useMemo(() => periodRange(period, clock, custom), [period, clock, custom]);
  const asked = range ? `${range.from}:${range.to}:${groupBy}` : '';
  const loading = asked !== '' && answer.asked !== asked;
  const report = answer.report;

  useEffect(() => {
    if (!range) return;
    let live = true;
    setSaved('');
    reportApi
      .DialoguesReport({ from: range.from, to: range.to, groupBy })
      .then((r) => live && setAnswer({ asked, report: r }))
      .catch((e) => {
        if (!live) return;
        setAnswer((a) => ({ asked, report: a.report }));
        reportError(e);
      });
    return () => {
      live = false;
    };
  }, [range, groupBy, asked, reportError]);

  const span = (ms: number) =>
    spanParts(ms)
      .map((p) => t(`unit.${p.unit}`, { n: p.n }))
      .join(' ');
  const nameOf = (l: ReportLine) => l.name || (groupBy === 'manager' ? t('report.nobody') : t('report.noType'));
  const lines = report?.lines ?? [];
  const shown = report && report.groupBy === groupBy ? report : null;

  const exportCSV = async () => {
    if (!range) return;
    try {
      const path = await reportApi.ExportDialoguesReport(range.from, range.to, t('report.saveTitle'), csvName(range.from, range.to));
      if (path) setSaved(path);
    } catch (e) {
      reportError(e);
    }
  };

  return (
    <Modal title={t('report.title')} onClose={onClose} wide testid="report">
      <div className="report-controls">
        <div className="segmented" role="group" aria-label={t('report.period')}>
          {PERIODS.map((p) => (
            <button
              key={p}
              type="button"
              aria-pressed={period === p}
              className={period === p ? 'on' : ''}
              data-testid={`report-period-${p}`}
              onClick={() => setPeriod(p)}
            >
              {t(`report.period.${p}`)}
            </button>
          ))}
        </div>
        {period === 'custom' && (
          <span className="report-custom">
            <label>
              {t('report.from')}{' '}
              <input
                type="date"
                value={custom.from}
                data-testid="report-from"
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setCustom((c) => ({ ...c, from: v }));
                }}
              />
            </label>
            <label>
              {t('report.to')}{' '}
              <input
                type="date"
                value={custom.to}
                data-testid="report-to"
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setCustom((c) => ({ ...c, to: v }));
                }}
              />
            </label>
          </span>
        )}
        <div className="segmented" role="group" aria-label={t('report.groupBy')}>
          {(['manager', 'type'] as ReportGroupBy[]).map((g) => (
            <button
              key={g}
              type="button"
              aria-pressed={groupBy === g}
              className={groupBy === g ? 'on' : ''}
              data-testid={`report-by-${g}`}
              onClick={() => setGroupBy(g)}
            >
              {t(`report.by.${g}`)}
            </button>
          ))}
        </div>
        <button type="button" className="btn" data-testid="report-export" disabled={!range} onClick={() => void exportCSV()}>
          {t('report.export')}
        </button>
      </div>
      {!range && (
        <p className="report-note error" role="alert" data-testid="report-bad-period">
          {t('report.badPeriod')}
        </p>
      )}
      {saved && (
        <p className="report-note" data-testid="report-saved">
          {t('report.saved', { path: saved })}
        </p>
      )}
      {range && loading && !shown && <p className="muted">{t('report.loading')}</p>}
      {range && shown && lines.length === 0 && (
        <p className="muted" data-testid="report-empty">
          {t('report.empty')}
        </p>
      )}
      {range && shown && lines.length > 0 && (
        <>
          <table className="report-table" data-testid="report-table" data-loading={loading ? 'true' : 'false'}>
            <thead>
              <tr>
                <th scope="col">{t(`report.by.${groupBy}`)}</th>
                <th scope="col">{t('report.col.cycles')}</th>
                <th scope="col">{t('report.col.closed')}</th>
                <th scope="col">{t('report.col.firstResponse')}</th>
                <th scope="col">{t('report.col.resolution')}</th>
                <th scope="col">{t('report.col.clientRating')}</th>
                <th scope="col">{t('report.col.managerRating')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <Row key={`${l.managerId}:${l.name}`} line={l} name={nameOf(l)} testid="report-row" span={span} locale={locale} t={t} />
              ))}
            </tbody>
            <tfoot>
              <Row line={shown.total} name={t('report.total')} testid="report-total" span={span} locale={locale} t={t} />
            </tfoot>
          </table>
          <div className="report-chart-head">
            <label>
              {t('report.chart')}{' '}
              <select value={metric} data-testid="report-chart-metric" onChange={(e) => setMetric(e.currentTarget.value as ChartMetric)}>
                {CHART_METRICS.map((m) => (
                  <option key={m} value={m}>
                    {t(COLUMN_OF_METRIC[m])}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <BarChart
            title={t('report.chartOf', { what: t(COLUMN_OF_METRIC[metric]) })}
            bars={lines.map((l) => {
              const v = chartValue(l, metric);
              const label = !v ? t('report.none') : metric === 'cycles' ? String(v) : metric === 'clientRating' ? formatRating(v, locale) : span(v);
              return { name: nameOf(l), value: v, label };
            })}
          />
        </>
      )}
      <p className="report-hint muted">{t('report.hint')}</p>
    </Modal>
  );
}

function Row({
  line,
  name,
  testid,
  span,
  locale,
  t,
}: {
  line: ReportLine;
  name: string;
  testid: string;
  span: (ms: number) => string;
  locale: 'ru' | 'en';
  t: (k: ReportKey, v?: Record<string, string | number>) => string;
}) {
  const none = t('report.none');
  const over = (n: number) => <span className="muted report-n">{t('report.ofN', { n })}</span>;
  return (
    <tr data-testid={testid}>
      <th scope="row" data-testid="report-name">
        {name}
      </th>
      <td data-testid="report-cycles">{line.cycles}</td>
      <td data-testid="report-closed">{line.closed}</td>
      <td data-testid="report-first-response">
        {line.firstResponseN ? (
          <>
            {span(line.firstResponseMs)} {over(line.firstResponseN)}
          </>
        ) : (
          none
        )}
      </td>
      <td data-testid="report-resolution">{line.closed ? span(line.resolutionMs) : none}</td>
      <td data-testid="report-client-rating">
        {line.clientRatingN ? (
          <>
            {formatRating(line.clientRating, locale)} {over(line.clientRatingN)}
          </>
        ) : (
          none
        )}
      </td>
      <td data-testid="report-manager-rating">
        {line.managerRatingN ? (
          <>
            {formatRating(line.managerRating, locale)} {over(line.managerRatingN)}
          </>
        ) : (
          none
        )}
      </td>
    </tr>
  );
}

/** Horizontal bars in plain SVG, one per line, scaled to the largest value. */
function BarChart({ title, bars }: { title: string; bars: Array<{ name: string; value: number; label: string }> }) {
  const rowH = 22;
  const labelW = 180;
  const barW = 320;
  const width = labelW + barW + 90;
  const max = Math.max(0, ...bars.map((b) => b.value));
  return (
    <svg
      className="report-chart"
      role="img"
      aria-label={title}
      data-testid="report-chart"
      width={width}
      height={bars.length * rowH + 4}
      viewBox={`0 0 ${width} ${bars.length * rowH + 4}`}
    >
      <title>{title}</title>
      {bars.map((b, i) => {
        const w = max > 0 ? Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * barW)) : 0;
        const y = i * rowH + 2;
        return (
          <g key={i} data-testid="report-bar" data-value={b.value}>
            <title>{b.name}</title>
            <text x={labelW - 8} y={y + rowH / 2 + 4} textAnchor="end" className="report-chart-name">
              {b.name.length > 24 ? `${b.name.slice(0, 23)}…` : b.name}
            </text>
            <rect x={labelW} y={y + 3} width={w} height={rowH - 6} rx={3} className="report-chart-bar" />
            <text x={labelW + w + 6} y={y + rowH / 2 + 4} className="report-chart-label">
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
