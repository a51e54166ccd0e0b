/** Why a project is not allowed, or undefined when it is. An empty allowlist allows any project. */
export function checkProject(project: string, allowed: readonly string[]): string | undefined {
  if (allowed.length === 0) return undefined;
  const list = allowed.join(', ');
  if (project === '') return `is required when allowed-projects is set: expected one of ${list}.`;
  if (allowed.includes(project)) return undefined;
  const near = allowed.find((a) => a.toLowerCase() === project.trim().toLowerCase());
  return `'${project}' is not an allowed project: expected one of ${list}${near ? ` (did you mean '${near}'?)` : ''}.`;
}

/** Why a requested batch size is wrong, or undefined when it is a whole number in range. */
export function checkBatchSize(raw: string, min: number, max: number): string | undefined {
  const form = `a whole number from ${min} to ${max}`;
  if (!/^[+]?\d+$/.test(raw)) return `'${raw}' is not a whole number: expected ${form}.`;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) return `${raw} is out of range: expected ${form}.`;
  return undefined;
}
