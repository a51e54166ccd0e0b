// pnpm check-workflows [repo root]: every workflow check, outside jest. Exit 1 when anything is found.
// On this repository: the reference workflows, .github/workflows/ and the README examples with every rule. On a
// user's repository: its .github/workflows/ with the safety rules, against our actions' contracts from this checkout.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadContracts } from './action-contracts.js';
import { checkTarget, formatFinding, isActionsRepository, listTargets, listUserTargets } from './check.js';

const ownRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function main(): Promise<number> {
  // pnpm runs scripts in the workspace root; INIT_CWD is where the user ran the command.
  const root = path.resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? '.');
  const ours = isActionsRepository(root);
  const contracts = loadContracts(ours ? root : ownRoot);
  const missing = [...contracts].filter(([, contract]) => !contract).map(([name]) => name);
  if (missing.length > 0) console.log(`Missing action.yml (uses of these cannot be checked): ${missing.join(', ')}`);
  let total = 0;
  const targets = ours ? listTargets(root) : listUserTargets(root);
  if (!ours) console.log(`Checking ${targets.length} workflow(s) in ${path.join(root, '.github', 'workflows')} with the safety rules.`);
  for (const target of targets) {
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
