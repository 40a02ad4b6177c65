/** Plain-text tables: what `npm run bench` prints and what BENCHMARKS.md quotes verbatim. */

/** One printed table: a title, a header row, rows of already-formatted cells, and optional notes. */
export interface Table {
  readonly title: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly notes?: readonly string[];
}

/** Renders a table as a GitHub-flavoured Markdown table (readable as plain text too). */
export function renderTable(table: Table): string {
  const widths = table.head.map((cell, i) => Math.max(cell.length, ...table.rows.map((row) => (row[i] ?? '').length)));
  // Figures are right-aligned, words left-aligned.
  const numeric = table.head.map((_, i) => table.rows.every((row) => /^[-–−+\d]/.test(row[i] ?? '')));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule =
    '| ' +
    `${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(Math.max(1, w - 1))}:` : '-'.repeat(w))).join(' | ')} ` +
    '|';
  const out = [`### ${table.title}`, '', line(table.head), rule, ...table.rows.map(line)];
  if (table.notes?.length) out.push('', ...table.notes.map((note) => `- ${note}`));
  return `${out.join('\n')}\n`;
}

/** A target from the issue, stated as met or not with the figure that decides it. */
export interface Verdict {
  readonly target: string;
  readonly met: boolean;
  readonly figure: string;
}

/** Renders verdicts as a list: `- [met] target: figure`. */
export function renderVerdicts(verdicts: readonly Verdict[]): string {
  return `${verdicts.map((v) => `- **${v.met ? 'met' : 'NOT met'}**: ${v.target} (${v.figure})`).join('\n')}\n`;
}
