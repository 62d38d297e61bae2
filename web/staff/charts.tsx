/**
 * Small bar charts drawn by the app as inline SVG (no chart library). The SVG is a picture for
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
      <details class="s-chart-table">
        <summary>{t('staff.reports.asTable')}</summary>
        <table>
          <caption class="visually-hidden">{title}</caption>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                <td>{bar.shown}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
