/**
 * Small bar and line charts drawn by the app as inline SVG (no chart library). The SVG is a picture for
 * sighted readers (aria-hidden); the same numbers are in a table right after it, which screen
 * readers read and anyone can open with "Show as table".
 */
import { t } from '../shared/i18n.ts';

export interface Bar {
  label: string;
  value: number;
  /** What the table shows for the value (e.g. formatted money). */
  shown: string;
}

export function BarChart({ title, bars, testId }: { title: string; bars: Bar[]; testId: string }) {
  const width = 640;
  const height = 180;
  const gap = 2;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const barWidth = bars.length ? Math.min(56, width / bars.length - gap) : 0;
  return (
    <figure class="s-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height + 20}`} role="presentation" aria-hidden="true" focusable="false" class="s-chart-svg">
        {bars.map((bar, i) => {
          const h = Math.round((bar.value / max) * height);
          const x = i * (barWidth + gap);
          return (
            <g key={bar.label}>
              <rect x={x} y={height - h} width={barWidth} height={h} class="s-chart-bar" />
              {bars.length <= 24 && (i % Math.ceil(bars.length / 12) === 0) && (
                <text x={x + barWidth / 2} y={height + 14} text-anchor="middle" class="s-chart-label">
                  {bar.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ChartTable title={title} rows={bars} />
    </figure>
  );
}

/** The chart's numbers as a table: what screen readers read, and "Show as table" for anyone. */
function ChartTable({ title, rows }: { title: string; rows: Bar[] }) {
  return (
    <details class="s-chart-table">
      <summary>{t('staff.reports.asTable')}</summary>
      <table>
        <caption class="visually-hidden">{title}</caption>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td>{row.shown}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** A line through the points in order (e.g. the hours of a day), with a dot on each and every other label. */
export function LineChart({ title, points, testId }: { title: string; points: Bar[]; testId: string }) {
  const width = 640;
  const height = 180;
  const pad = 20; // room for the first and last labels, centred on their dots
  const max = Math.max(1, ...points.map((point) => point.value));
  const step = points.length > 1 ? (width - 2 * pad) / (points.length - 1) : 0;
  const xy = points.map((point, i) => [pad + i * step, pad + (height - 2 * pad) * (1 - point.value / max)] as const);
  const every = Math.ceil(points.length / 12);
  return (
    <figure class="s-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height + 20}`} role="presentation" aria-hidden="true" focusable="false" class="s-chart-svg">
        <line x1={0} y1={height - pad} x2={width} y2={height - pad} class="s-chart-axis" />
        <polyline points={xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')} class="s-chart-line" />
        {xy.map(([x, y], i) => (
          <g key={points[i].label}>
            <circle cx={x} cy={y} r={3} class="s-chart-dot" />
            {i % every === 0 && (
              <text x={x} y={height + 14} text-anchor="middle" class="s-chart-label">
                {points[i].label}
              </text>
            )}
          </g>
        ))}
      </svg>
      <ChartTable title={title} rows={points} />
    </figure>
  );
}
