/** Names of the values main saves for post (the runner gives them back as STATE_*). */
export const STATE = {
  dir: 'private-dir',
  pid: 'ssh-pid',
  ports: 'local-ports',
  target: 'target',
} as const;

export interface SavedPort {
  bind: string;
  port: number;
}

export function parsePorts(text: string): SavedPort[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (p): p is SavedPort =>
        typeof p === 'object' && p !== null && typeof (p as SavedPort).bind === 'string' && Number.isInteger((p as SavedPort).port),
    );
  } catch {
    return [];
  }
}
