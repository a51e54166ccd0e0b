import * as core from '@actions/core';
import { markdownTable, runStep, UserError, writeSummary } from '@pipeline-actions/kit';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { classifyFailure, sshMessages, type FailureContext } from './classify.js';
import { portsMap, remoteKey, type Forward } from './forwards.js';
import { getInputs, type Inputs } from './inputs.js';
import { keyscan } from './keyscan.js';
import { entriesFor, hostKeyName, preferredEntry, type KnownHost } from './known-hosts.js';
import { stopProcess } from './process.js';
import { pickFreePort, portFree, serverHostKey, TunnelNotReady, waitUntilReady } from './readiness.js';
import { sshArgs, sshConfig, tunnelFiles, type TunnelFiles, type TunnelSpec } from './ssh-command.js';
import { findOnPath, startDetached, type StartedSsh } from './ssh-process.js';
import { STATE } from './state.js';

/** The entry point, as GitHub's action template and `@github/local-action` expect it. */
export async function run(): Promise<void> {
  await runStep(main);
}

export async function main(): Promise<void> {
  const inputs = getInputs();
  if (process.platform === 'win32') {
    throw new UserError(
      'ssh-tunnel runs on Linux and macOS runners (it manages a background OpenSSH process with POSIX signals); use a Linux runner for the job that needs the tunnel.',
    );
  }
  for (const warning of inputs.warnings) core.warning(warning);
  for (const note of inputs.notes) core.info(note);
  const sshPath = findOnPath('ssh');
  if (!sshPath) {
    throw new UserError(
      'The OpenSSH client (ssh) is not on PATH. GitHub-hosted Linux and macOS runners have it; on a self-hosted runner install openssh-client.',
    );
  }
  const target = `${inputs.user}@${inputs.host}:${inputs.port}`;
  const context: FailureContext = {
    target,
    jumpHost: inputs.jumpHost ? `${inputs.jumpHost.user}@${inputs.jumpHost.host}:${inputs.jumpHost.port}` : undefined,
    hostKeyName: hostKeyName(inputs.host, inputs.port),
    timeoutSeconds: inputs.timeoutSeconds,
  };
  await assignLocalPorts(inputs.forwards);

  // The private directory and the ports are saved before anything can fail, so post always cleans up.
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'ssh-tunnel-'));
  chmodSync(dir, 0o700);
  const files = tunnelFiles(dir);
  core.saveState(STATE.dir, dir);
  core.saveState(STATE.target, target);
  core.saveState(STATE.ports, JSON.stringify(inputs.forwards.map((f) => ({ bind: f.bind, port: f.localPort }))));

  let ssh: StartedSsh | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      if (ssh) process.kill(ssh.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    core.error(`Cancelled (${signal}) while opening the tunnel; stopped ssh. The post step removes the private directory.`);
    process.exit(1);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    const { knownHosts, trusted } = await resolveKnownHosts(inputs, context);
    writeFileSync(files.key, inputs.privateKey.text, { mode: 0o600 });
    writeFileSync(files.knownHosts, knownHosts.map((e) => `${e.text}\n`).join(''), { mode: 0o600 });
    const spec: TunnelSpec = { ...inputs, acceptNewTargetKey: inputs.trustOnFirstUse && inputs.jumpHost !== undefined };
    writeFileSync(files.config, sshConfig(spec, files), { mode: 0o600 });

    const started = Date.now();
    ssh = await startDetached(sshPath, sshArgs(spec, files), files.log);
    core.saveState(STATE.pid, String(ssh.pid));
    core.debug(`ssh started as pid ${ssh.pid}`);
    await waitUntilReady({
      forwards: inputs.forwards,
      verifyForwards: inputs.verifyForwards,
      deadline: started + inputs.timeoutSeconds * 1000,
      readLog: () => readLog(files),
      process: ssh,
    });
    const readyMs = Math.round(performance.now());

    const log = readLog(files);
    const seen = serverHostKey(log);
    const pinned = preferredEntry(entriesFor(knownHosts, context.hostKeyName));
    const fingerprint = seen?.fingerprint ?? pinned?.fingerprint ?? '';
    if (inputs.trustOnFirstUse && inputs.jumpHost && seen) {
      core.warning(
        `trust-on-first-use: accepted the host key of ${context.hostKeyName} (reached through ${context.jumpHost}) without verification: ${seen.type} ${seen.fingerprint}. Pin it in known-hosts once you have checked it with the server's owner.`,
      );
    }
    const ports = portsMap(inputs.forwards);
    core.setOutput('local-port', String(inputs.forwards[0].localPort));
    core.setOutput('ports', JSON.stringify(ports));
    core.setOutput('pid', String(ssh.pid));
    core.setOutput('host-key-fingerprint', fingerprint);
    core.setOutput('ready-ms', String(readyMs));
    for (const f of inputs.forwards) core.info(`${f.bind}:${f.localPort} -> ${remoteKey(f)} via ${target}`);
    core.info(`Tunnel ready in ${readyMs} ms (ssh pid ${ssh.pid}, host key ${fingerprint}).`);
    await writeSummary(readySummary(inputs, target, fingerprint, trusted, readyMs, ssh.pid));
  } catch (error) {
    // Whether ssh was still trying decides "timed out" vs "exited"; read its log after stopping it,
    // so a message it printed while we gave up is included.
    const stillRunning = error instanceof TunnelNotReady && (error.reason === 'timeout' || (ssh !== undefined && ssh.exit() === undefined));
    if (ssh) await stopProcess(ssh.pid, dir, 2000);
    const log = readLog(files);
    if (core.isDebug() && log) core.debug(`ssh log:\n${log}`);
    rmSync(dir, { recursive: true, force: true });
    if (error instanceof TunnelNotReady) {
      const message = failureMessage(error, log, context, stillRunning);
      await writeSummary(
        ['### SSH tunnel failed', '', '```text', message, '```', '', 'ssh was stopped and the private key deleted.'].join('\n'),
      );
      throw new UserError(message);
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** Picks free ports for `0` forwards and fails early when a fixed port is taken. */
async function assignLocalPorts(forwards: Forward[]): Promise<void> {
  const busy: string[] = [];
  for (const f of forwards) {
    if (f.auto) f.localPort = await pickFreePort(f.bind);
    else if (!(await portFree(f.bind, f.localPort))) busy.push(`${f.bind}:${f.localPort} (forwards line ${f.line})`);
  }
  if (busy.length > 0) {
    throw new UserError(
      `SSH tunnel not started: local port in use: ${busy.join(', ')}. Another process on the runner already listens there (a service container, or a tunnel from an earlier step). Fix: pick another local port, or 0 to pick a free one.`,
    );
  }
}

async function resolveKnownHosts(
  inputs: Inputs,
  context: FailureContext,
): Promise<{ knownHosts: KnownHost[]; trusted: 'pinned' | 'first-use' }> {
  if (!inputs.trustOnFirstUse) return { knownHosts: inputs.knownHosts, trusted: 'pinned' };
  // Through a jump host only the jump host can be scanned from here; ssh records the target's key (accept-new).
  const scanHost = inputs.jumpHost ?? { host: inputs.host, port: inputs.port };
  const name = hostKeyName(scanHost.host, scanHost.port);
  const scanned = await keyscan(scanHost.host, scanHost.port, Math.min(inputs.timeoutSeconds, 30));
  if (scanned.entries.length === 0) {
    const said = sshMessages(scanned.stderr).filter((l) => !l.startsWith('#'));
    throw new UserError(
      `SSH tunnel to ${context.target} failed: bastion unreachable. trust-on-first-use: ssh-keyscan got no host key from ${name}${said.length ? ` (${said.join('; ')})` : ''}. Fix: check host and port, and that sshd runs there and lets this runner in.`,
    );
  }
  const knownHosts = scanned.entries.map((e) => ({ ...e, hosts: name, text: `${name} ${e.keyType} ${e.key}` }));
  const best = preferredEntry(knownHosts) as KnownHost;
  core.warning(
    `trust-on-first-use: accepted the host key of ${name} without verification: ${best.keyType} ${best.fingerprint}. Check this fingerprint with the server's owner, then pin it by setting known-hosts to: ${best.text}`,
  );
  core.info(
    `Host keys ${name} offered (all accepted for this run):\n${knownHosts.map((e) => `  ${e.keyType} ${e.fingerprint}`).join('\n')}`,
  );
  return { knownHosts, trusted: 'first-use' };
}

function readLog(files: TunnelFiles): string {
  try {
    return readFileSync(files.log, 'utf8');
  } catch {
    return '';
  }
}

export function failureMessage(error: TunnelNotReady, log: string, context: FailureContext, stillRunning: boolean): string {
  let failure = classifyFailure(log, context, stillRunning);
  // The login worked and the listener is up, but the bastion's connect to the remote never finished.
  if (error.reason === 'timeout' && error.forward && failure.kind === 'timeout' && /waiting for the bastion/.test(error.message)) {
    failure = {
      kind: 'forward',
      title: 'forward refused or remote unreachable',
      hint: `the bastion accepted the login, but its connection to ${remoteKey(error.forward)} did not complete within timeout-seconds (${context.timeoutSeconds}): a firewall dropping packets between the bastion and the remote looks like this. Check remote_host:remote_port as the bastion sees it.`,
    };
  }
  const said = sshMessages(log).slice(-15);
  const lines = [
    `SSH tunnel to ${context.target}${context.jumpHost ? ` via ${context.jumpHost}` : ''} failed: ${failure.title}: ${error.message}.`,
    `Fix: ${failure.hint}`,
  ];
  if (said.length > 0) lines.push('ssh said:', ...said.map((l) => `  ${l}`));
  return lines.join('\n');
}

function readySummary(
  inputs: Inputs,
  target: string,
  fingerprint: string,
  trusted: 'pinned' | 'first-use',
  readyMs: number,
  pid: number,
): string {
  const rows = inputs.forwards.map((f) => [`${f.bind}:${f.localPort}`, remoteKey(f), f.auto ? 'picked (0)' : 'fixed']);
  const checks = inputs.verifyForwards
    ? 'every local port accepted a connection from ssh, each forward opened a channel to its remote, and ssh is alive'
    : 'every local port accepted a connection from ssh and ssh is alive (remote connections not verified)';
  return [
    '### SSH tunnel ready',
    '',
    markdownTable(['Local', 'Remote (via bastion)', 'Local port'], rows),
    '',
    `Bastion \`${target}\`${inputs.jumpHost ? ` via jump host \`${inputs.jumpHost.user}@${inputs.jumpHost.host}:${inputs.jumpHost.port}\`` : ''}; host key \`${fingerprint}\` ${trusted === 'pinned' ? 'pinned by known-hosts' : '**trusted on first use, not verified**'}.`,
    `Ready in ${readyMs} ms: ${checks}. ssh pid ${pid}; the post step stops it and deletes the key.`,
    inputs.privateKey.publicFingerprint ? `Client key: ${inputs.privateKey.publicKeyType} \`${inputs.privateKey.publicFingerprint}\`.` : '',
  ]
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n');
}
