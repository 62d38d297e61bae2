/**
 * The kitchen's times in the Reports section: per station, the median time from placed to ready as
 * a bar (its table gives p50 and p90 of placed → ready and ready → served), then the slowest dishes.
 */
import { t } from '../shared/i18n.ts';
import { BarChart } from './charts.tsx';
import { useConsole } from './console.ts';
import { dishNameIn, nameIn } from './names.ts';

interface Spread {
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export interface KitchenTimes {
  stations: { station: string; placedToReady: Spread; readyToServed: Spread }[];
  slowest: { menuItemId: string; name: string; station: string; count: number; p50Seconds: number; p90Seconds: number }[];
}

/** "12 min 30 s", "45 s"; "—" when there is nothing to measure. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return t('staff.reports.seconds', { s: rest });
  return rest === 0 ? t('staff.reports.minutes', { m: minutes }) : t('staff.reports.minutesSeconds', { m: minutes, s: rest });
}

const spread = (s: Spread) => t('staff.reports.spread', { p50: duration(s.p50Seconds), p90: duration(s.p90Seconds), n: s.count });

export function KitchenTimesView({ times }: { times: KitchenTimes }) {
  const c = useConsole();
  if (times.stations.length === 0) {
    return (
      <section class="s-kitchen-times" data-testid="kitchen-times" aria-labelledby="kitchen-times-title">
        <h3 id="kitchen-times-title">{t('staff.reports.kitchenTimes')}</h3>
        <p>{t('staff.reports.noKitchenTimes')}</p>
      </section>
    );
  }
  return (
    <section class="s-kitchen-times" data-testid="kitchen-times" aria-labelledby="kitchen-times-title">
      <h3 id="kitchen-times-title">{t('staff.reports.kitchenTimes')}</h3>
      <BarChart
        testId="chart-kitchen"
        title={t('staff.reports.toReadyByStation')}
        bars={times.stations.map((row) => ({
          label: nameIn('station', row.station),
          value: row.placedToReady.p50Seconds ?? 0,
          shown: `${t('staff.reports.placedToReady')} ${spread(row.placedToReady)}; ${t('staff.reports.readyToServed')} ${spread(row.readyToServed)}`,
        }))}
      />
      {times.slowest.length > 0 && (
        <table class="s-slowest" data-testid="slowest-dishes">
          <caption>{t('staff.reports.slowest')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('staff.reports.dish')}</th>
              <th scope="col">{t('staff.reports.station')}</th>
              <th scope="col">{t('staff.reports.placedToReady')}</th>
            </tr>
          </thead>
          <tbody>
            {times.slowest.map((dish) => (
              <tr key={`${dish.station}:${dish.menuItemId}`}>
                <th scope="row">{dishNameIn(c.menu.value, dish.menuItemId, dish.name)}</th>
                <td>{nameIn('station', dish.station)}</td>
                <td>{spread({ count: dish.count, p50Seconds: dish.p50Seconds, p90Seconds: dish.p90Seconds })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
