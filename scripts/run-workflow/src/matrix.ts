// strategy.matrix expansion as GitHub documents it: the cross product of the keys, `exclude` removes the
// combinations it matches, `include` extends matching combinations or adds new ones
// (https://docs.github.com/actions/how-tos/write-workflows/choose-what-workflows-do/run-job-variations#expanding-or-adding-matrix-configurations).

export interface Strategy {
  legs: Record<string, unknown>[];
  failFast: boolean;
  maxParallel: number;
}

export class MatrixError extends Error {}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function expandStrategy(strategy: unknown): Strategy | undefined {
  if (strategy === undefined || strategy === null) return undefined;
  if (typeof strategy !== 'object') throw new MatrixError('strategy must be a mapping');
  const s = strategy as { matrix?: unknown; 'fail-fast'?: unknown; 'max-parallel'?: unknown };
  const failFast = s['fail-fast'] === undefined ? true : s['fail-fast'] === true || s['fail-fast'] === 'true';
  const maxParallel = Number(s['max-parallel'] ?? 256) || 256;
  const matrix = s.matrix;
  if (matrix === undefined || matrix === null) return { legs: [{}], failFast, maxParallel };
  if (typeof matrix !== 'object' || Array.isArray(matrix)) throw new MatrixError('strategy.matrix must be a mapping (or fromJSON of one)');
  const { include = [], exclude = [], ...keys } = matrix as Record<string, unknown>;
  if (!Array.isArray(include) || !Array.isArray(exclude)) throw new MatrixError('matrix include and exclude must be lists');
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(keys)) {
    if (!Array.isArray(values)) throw new MatrixError(`matrix.${key} must be a list`);
    if (values.length === 0) throw new MatrixError(`matrix.${key} is an empty list`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  if (Object.keys(keys).length === 0) combos = [];
  combos = combos.filter((c) => !exclude.some((e) => Object.entries(e as object).every(([k, v]) => same(c[k], v))));
  const original = combos.map((c) => ({ ...c }));
  for (const inc of include as Record<string, unknown>[]) {
    let added = false;
    combos.forEach((combo, i) => {
      const base = original[i];
      // An include entry applies to a combination when it overwrites none of its original values.
      const fits = Object.entries(inc).every(([k, v]) => !(k in base) || same(base[k], v));
      if (fits) {
        Object.assign(combo, inc);
        added = true;
      }
    });
    if (!added) {
      combos.push({ ...inc });
      original.push({ ...inc });
    }
  }
  if (combos.length === 0) throw new MatrixError('the matrix has no combinations');
  if (combos.length > 256) throw new MatrixError(`the matrix has ${combos.length} combinations; GitHub allows 256`);
  return { legs: combos, failFast, maxParallel };
}
