/** Plain-text tables for the bench report. */

export type Cell = string | number | boolean | null | undefined;

const show = (cell: Cell): string => {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isInteger(cell) ? String(cell) : cell.toFixed(Math.abs(cell) >= 100 ? 0 : Math.abs(cell) >= 10 ? 1 : 2);
  return String(cell);
};

/** Prints `rows` under `headers`; numbers are right-aligned. */
export function formatTable(headers: readonly string[], rows: readonly Cell[][]): string {
  const text = rows.map((row) => headers.map((_, i) => show(row[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => row[i].length)));
  const numeric = headers.map((_, i) => rows.every((row) => row[i] === undefined || row[i] === null || typeof row[i] === 'number'));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd();
  return [line([...headers]), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

export const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
