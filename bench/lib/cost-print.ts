/** The cost bench's printed report (bench/cost.ts): per route, every line of the model, the dollars. */
import type { CostBenchResult } from '../cost.ts';
import { ASSUMPTIONS, PLANS } from './cost-model.ts';
import { formatTable } from './table.ts';

const list = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${Number.isInteger(n) ? n : n.toFixed(2)}`)
    .join(', ');

/** The lines priced from counts alone, which do not vary between runs (the measured milliseconds do). */
export const countPriced = (d: CostBenchResult['dollars']): number => d.per1000Orders.total - d.per1000Orders.lambdaDuration - d.per1000Orders.lambdaInit;

export function printCost(r: CostBenchResult): string {
  const d = r.dollars;
  const usd = (v: number) => `$${v < 0.01 ? v.toFixed(4) : v.toFixed(3)}`;
  return [
    `Cost per operation (sequential, counters reset per call; ${r.kitchenSockets} kitchen sockets, ${r.phones} phones at the table; * = part of the table visit)`,
    formatTable(
      ['route', 'calls', 'MongoDB', 'DynamoDB', 'WS out', 'WS in', 'ms', 'MongoDB commands', 'DynamoDB calls'],
      r.routes.map((x) => [`${x.inVisit ? '*' : ' '} ${x.route}`, x.calls, x.mongoTotal, x.dynamoTotal, x.wsOut, x.wsIn, x.ms, list(x.mongo), list(x.dynamo)]),
    ),
    `placement: ${r.placement.mongo.toFixed(2)} MongoDB commands (target ≤ ${r.placement.mongoTarget}), ${r.placement.dynamo.toFixed(2)} DynamoDB calls (target ≤ ${r.placement.dynamoTarget}): ${r.placement.met ? 'met' : 'NOT met'}`,
    `per order (visit only): ${r.visitPerOrder.httpRequests.toFixed(1)} HTTP requests, ${r.visitPerOrder.lambdaInvocations.toFixed(1)} invocations, ${r.visitPerOrder.dynamoReads.toFixed(1)} DynamoDB reads + ${r.visitPerOrder.dynamoWrites.toFixed(1)} writes, ${r.visitPerOrder.mongoCommands.toFixed(1)} MongoDB commands, ${r.visitPerOrder.wsMessages.toFixed(0)} WebSocket messages`,
    `PostToConnection calls per order (the visit): ${r.postsPerOrder.toFixed(1)}`,
    `messages each socket heard in the visit (the model gives each one-station tablet their mean): kitchen tablets per order ${r.heard.kitchen.map((n) => n.toFixed(1)).join(', ')}; staff consoles per order ${r.heard.staff.map((n) => n.toFixed(1)).join(', ')}; phones per visit ${r.heard.phones.join(', ')}`,
    `per order, modelled (now: ${PLANS.now.label}; s9: ${PLANS.s9.label}; before: ${PLANS.before.label}; every line of the model below, "how" for now):`,
    formatTable(
      ['model line', 'how', 'count now', 'count s9', 'count before', 'invocations now', 'invocations s9', 'WS msgs now', 'WS msgs s9', 'WS msgs before', 'HTTP now', 'HTTP s9', 'GB-s now'],
      r.model.map((line, i) => {
        const s9 = r.s9.model[i];
        const old = r.before.model[i];
        const gbs = line.cost.lambdaGbSeconds + line.cost.lambdaInitGbSeconds;
        return [
          line.line,
          line.formula,
          line.count,
          s9.count,
          old.count,
          line.cost.lambdaInvocations,
          s9.cost.lambdaInvocations,
          line.cost.wsMessages,
          s9.cost.wsMessages,
          old.cost.wsMessages,
          line.cost.httpRequests,
          s9.cost.httpRequests,
          Number(gbs.toFixed(4)),
        ];
      }),
    ),
    `billed init per cold start (module init, median of ${r.init.runs} runs, × max(1, ${ASSUMPTIONS.fullVcpuMemoryMb} MB / memory)): ${r.init.functions.map((f) => `${f.group} ${Math.round(f.initMs * Math.max(1, ASSUMPTIONS.fullVcpuMemoryMb / f.memoryMb))} ms`).join(', ')}`,
    `per order now: ${r.perOrder.httpRequests.toFixed(1)} HTTP requests, ${r.perOrder.lambdaInvocations.toFixed(0)} invocations, ${r.perOrder.dynamoReads.toFixed(0)} reads + ${r.perOrder.dynamoWrites.toFixed(0)} writes, ${r.perOrder.wsMessages.toFixed(0)} WebSocket messages, ${r.perOrder.wsConnectionMinutes.toFixed(0)} connection-minutes` +
      ` (s9: ${r.s9.perOrder.httpRequests.toFixed(1)} HTTP requests, ${r.s9.perOrder.lambdaInvocations.toFixed(0)} invocations, ${r.s9.perOrder.wsMessages.toFixed(0)} WebSocket messages, ${r.s9.perOrder.wsConnectionMinutes.toFixed(0)} connection-minutes;` +
      ` before: ${r.before.perOrder.lambdaInvocations.toFixed(0)} invocations, ${r.before.perOrder.wsMessages.toFixed(0)} WebSocket messages)`,
    `cost per 1,000 orders at ${d.prices.region}:`,
    formatTable(
      ['line', 'USD now', 'USD s9', 'USD before'],
      Object.entries(d.per1000Orders).map(([line, v]) => [line, usd(v), usd(r.s9.dollars.per1000Orders[line]), usd(r.before.dollars.per1000Orders[line])]),
    ),
    `count-priced lines only (no measured ms: all but lambdaDuration and lambdaInit): now ${usd(countPriced(d))}, s9 ${usd(countPriced(r.s9.dollars))}, before ${usd(countPriced(r.before.dollars))}`,
    `≈ $${d.monthly.usd.toFixed(2)}/month for ${d.monthly.orders} orders (before: $${r.before.dollars.monthly.usd.toFixed(2)}), plus the WAF's web ACL and ${d.monthly.wafRules} rules as a flat $${d.monthly.wafFixedUsd}/month (its requests are in the figure), plus MongoDB Atlas as a flat $${d.monthly.atlasUsd}/month (${d.prices.atlasTier}).`,
  ].join('\n');
}

