import type { TableStats } from './fragments.js';

/** GitHub runs at most 256 jobs from one matrix. */
export const GITHUB_MATRIX_LIMIT = 256;

export interface MatrixLeg {
  tables: string[];
  fragments: number;
}

/**
 * Splits the tables into at most `size` legs with fragment counts as even as a greedy split makes them:
 * the largest table first, each into the lightest leg so far (within 4/3 of the best split).
 * Tables stay whole: a table is the unit a leg claims, loads and marks.
 */
export function balanceMatrix(tables: Map<string, TableStats>, size: number): MatrixLeg[] {
  const legCount = Math.min(size, GITHUB_MATRIX_LIMIT, tables.size);
  if (legCount === 0) return [];
  const legs: MatrixLeg[] = Array.from({ length: legCount }, () => ({ tables: [], fragments: 0 }));
  const bySize = [...tables.entries()].sort((a, b) => b[1].fragments - a[1].fragments || (a[0] < b[0] ? -1 : 1));
  for (const [name, stats] of bySize) {
    let lightest = legs[0];
    for (const leg of legs) if (leg.fragments < lightest.fragments) lightest = leg;
    lightest.tables.push(name);
    lightest.fragments += stats.fragments;
  }
  for (const leg of legs) leg.tables.sort();
  return legs.sort((a, b) => (a.tables[0] < b.tables[0] ? -1 : 1));
}
