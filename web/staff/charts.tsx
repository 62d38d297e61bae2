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

/** The labels' font size in the SVG's units (staff.css .s-chart-label; the SVG is drawn 1:1 at full width). */
const LABEL_FONT_PX = 11;

/**
 * A label cut to fit `maxWidth` SVG units, ending in "…" when cut, so long dish names never run into
 * their neighbours (the full name is in the label's <title> and the chart's table). Widths are
 * estimated per character: 0.62 em for Latin letters, 0.9 em for other scripts (Devanagari is wider).
 */
export function fitLabel(label: string, maxWidth: number, fontPx = LABEL_FONT_PX): string {
  const widthOf = (ch: string) => fontPx * (ch.charCodeAt(0) < 0x250 ? 0.62 : 0.9);
  const chars = [...label];
  let width = 0;
  for (const ch of chars) width += widthOf(ch);
  if (width <= maxWidth) return label;
  const room = maxWidth - widthOf('…');
  let kept = '';
  width = 0;
  for (const ch of chars) {
    if (width + widthOf(ch) > room) break;
    width += widthOf(ch);
    kept += ch;
  }
  return kept.trimEnd() + '…';
}

/** An axis label: cut to its room, with the whole text as its <title> (a tooltip) when cut. */
function AxisLabel({ x, y, text, room }: { x: number; y: number; text: string; room: number }) {
  const shown = fitLabel(text, room);
  return (
    <text x={x} y={y} text-anchor="middle" class="s-chart-label" data-full={text}>
      {shown !== text && <title>{text}</title>}
      {shown}
    </text>
  );
}

export function BarChart({ title, bars, testId }: { title: string; bars: Bar[]; testId: string }) {
  const width = 640;
  const height = 180;
  const gap = 2;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const barWidth = bars.length ? Math.min(56, width / bars.length - gap) : 0;
  const every = Math.ceil(bars.length / 12);
  // A label may take the width of the bars up to the next label, less a little air.
  const room = (barWidth + gap) * every - 4;
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
              {bars.length <= 24 && i % every === 0 && <AxisLabel x={x + barWidth / 2} y={height + 14} text={bar.label} room={room} />}
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
            {i % every === 0 && <AxisLabel x={x} y={height + 14} text={points[i].label} room={Math.max(step * every - 4, 2 * pad)} />}
          </g>
        ))}
      </svg>
      <ChartTable title={title} rows={points} />
    </figure>
  );
}
