/** One `-L` forward: connections to bind:localPort go through the bastion to remoteHost:remotePort. */
export interface Forward {
  bind: string;
  /** 0 until a free port is picked for an `auto` forward. */
  localPort: number;
  remoteHost: string;
  remotePort: number;
  /** The user wrote local port 0: the action picks a free one. */
  auto: boolean;
  /** 1-based line in the input, for messages. */
  line: number;
}

export const DEFAULT_BIND = '127.0.0.1';
export const FORWARD_FORM = '[bind:]local_port:remote_host:remote_port (local_port 0 picks a free port; IPv6 addresses in brackets)';

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]+(?:%[A-Za-z0-9_.-]+)?$/;

export function isHostName(value: string): boolean {
  return IPV4.test(value) || HOSTNAME.test(value);
}

export function isIpv6(value: string): boolean {
  return value.includes(':') && IPV6.test(value);
}

/** Splits on ':' outside square brackets; `[::1]` stays one field (without its brackets). */
function splitFields(text: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text[i] === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) return undefined;
      fields.push(text.slice(i + 1, end));
      i = end + 1;
      if (i < text.length && text[i] !== ':') return undefined;
      i++;
      continue;
    }
    const next = text.indexOf(':', i);
    const stop = next < 0 ? text.length : next;
    fields.push(text.slice(i, stop));
    i = stop + 1;
  }
  return fields;
}

function port(value: string, allowZero: boolean): number | undefined {
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 65535 && (allowZero || n > 0) ? n : undefined;
}

function hostProblem(value: string, what: string): string | undefined {
  if (value === '') return `${what} is empty`;
  if (isHostName(value) || isIpv6(value)) return undefined;
  return `${what} '${value}' is not a host name or IP address`;
}

export interface ParsedForwards {
  forwards: Forward[];
  /** One message a bad line, each naming the line and the expected form. */
  problems: string[];
  warnings: string[];
}

/** Parses `forwards`: one forward a line, blank lines and `#` comments skipped. */
export function parseForwards(text: string): ParsedForwards {
  const forwards: Forward[] = [];
  const problems: string[] = [];
  const warnings: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const n = index + 1;
    const bad = (why: string) => problems.push(`line ${n} '${line}': ${why}; expected ${FORWARD_FORM}.`);
    if (/\s/.test(line)) return bad('contains spaces');
    const fields = splitFields(line);
    if (!fields || (fields.length !== 3 && fields.length !== 4)) return bad(`has ${fields?.length ?? 'unbalanced'} fields`);
    const [bind, local, remoteHost, remote] = fields.length === 4 ? fields : [DEFAULT_BIND, ...fields];
    const localPort = port(local, true);
    const remotePort = port(remote, false);
    const problem =
      (localPort === undefined ? `local port '${local}' is not a number from 0 to 65535` : undefined) ??
      (bind === '*' ? undefined : hostProblem(bind, 'bind address')) ??
      hostProblem(remoteHost, 'remote host') ??
      (remotePort === undefined ? `remote port '${remote}' is not a number from 1 to 65535` : undefined);
    if (problem) return bad(problem);
    if (!isLoopback(bind)) warnings.push(`forwards line ${n} binds ${bind}: other machines that reach this runner can use the tunnel.`);
    forwards.push({ bind, localPort: localPort as number, remoteHost, remotePort: remotePort as number, auto: localPort === 0, line: n });
  });
  const seen = new Map<number, number>();
  for (const f of forwards) {
    if (f.auto) continue;
    const first = seen.get(f.localPort);
    if (first !== undefined)
      problems.push(
        `line ${f.line}: local port ${f.localPort} is already used by line ${first}; give each forward its own local port (or 0).`,
      );
    else seen.set(f.localPort, f.line);
  }
  return { forwards, problems, warnings };
}

export function isLoopback(bind: string): boolean {
  return bind === 'localhost' || bind === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bind);
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The `-L` argument for ssh. */
export function forwardSpec(f: Forward): string {
  return `${bracket(f.bind)}:${f.localPort}:${bracket(f.remoteHost)}:${f.remotePort}`;
}

/** The key of the `ports` output: `remote_host:remote_port`. */
export function remoteKey(f: Pick<Forward, 'remoteHost' | 'remotePort'>): string {
  return `${bracket(f.remoteHost)}:${f.remotePort}`;
}

/** Where to connect to reach a forward's listener from this machine. */
export function connectHost(bind: string): string {
  if (bind === '*' || bind === '0.0.0.0' || bind === '') return '127.0.0.1';
  if (bind === '::') return '::1';
  return bind;
}

/** The `ports` output: remote -> local port; the first forward wins when two reach the same remote. */
export function portsMap(forwards: Forward[]): Record<string, number> {
  const map: Record<string, number> = {};
  for (const f of forwards) if (!(remoteKey(f) in map)) map[remoteKey(f)] = f.localPort;
  return map;
}
