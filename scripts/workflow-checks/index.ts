// pnpm check-workflows [repo root]: every workflow check, outside jest. Exit 1 when anything is found.
import path from 'node:path';
import { loadContracts } from './action-contracts.js';
import { checkTarget, formatFinding, listTargets } from './check.js';

async function main(): Promise<number> {
  const root = path.resolve(process.argv[2] ?? process.cwd());
  const contracts = loadContracts(root);
  const missing = [...contracts].filter(([, contract]) => !contract).map(([name]) => name);
  if (missing.length > 0) console.log(`Missing action.yml (uses of these cannot be checked): ${missing.join(', ')}`);
  let total = 0;
  for (const target of listTargets(root)) {
    const findings = await checkTarget(root, target, contracts);
    total += findings.length;
    const name = path.relative(root, target.file);
    console.log(`${findings.length === 0 ? 'ok  ' : 'FAIL'} ${name}${findings.length ? ` (${findings.length})` : ''}`);
    for (const finding of findings) console.log(`  ${formatFinding(finding)}`);
  }
  console.log(total === 0 ? 'No findings.' : `${total} finding(s).`);
  return total === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
