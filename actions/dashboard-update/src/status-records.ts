import type { Octokit } from '@pipeline-actions/kit/github';
import { apiFailure } from './api-error.js';
import type { AnyRecord, ManifestEntry, ManifestRecord, ManifestWrite, RecordStore, StageRecord, StageWrite } from './records.js';
import { STATUSES, type Status } from './status.js';

/** GitHub's limit on a commit status description, in characters. */
export const MAX_DESCRIPTION = 140;
/** Manifest contexts: `{marker}/_init`, `{marker}/_init.2`... (`_` never starts a stage key). */
const MANIFEST = '_init';
const MAX_PAGES = 10;

const WORDS: Record<Status, string> = {
  pending: 'Pending',
  running: 'Running',
  success: 'Success',
  failure: 'Failure',
  skipped: 'Skipped',
  cancelled: 'Cancelled',
};
const BY_WORD = new Map(STATUSES.map((s) => [WORDS[s], s]));

/** GitHub's four commit states: skipped counts as success (its description says skipped), cancelled as error. */
export function commitState(status: Status): 'pending' | 'success' | 'failure' | 'error' {
  switch (status) {
    case 'pending':
    case 'running':
      return 'pending';
    case 'success':
    case 'skipped':
      return 'success';
    case 'failure':
      return 'failure';
    case 'cancelled':
      return 'error';
  }
}

const chars = (text: string) => [...text].length;
const cutChars = (text: string, max: number) => (chars(text) <= max ? text : `${[...text].slice(0, Math.max(0, max - 1)).join('')}…`);

/**
 * `Success · run 123/1 · [Deploy docs] 42 tests passed`: readable in the checks list, and parsed back.
 * The name (only when the update gave one) is in brackets; the output is flattened to one line and
 * cut to what is left of the 140 characters, ending in `…` when cut.
 */
export function encodeStageDescription(write: Pick<StageWrite, 'status' | 'run' | 'attempt' | 'name' | 'output'>): {
  description: string;
  output: string;
  outputCut: boolean;
} {
  let text = `${WORDS[write.status]} · run ${write.run}/${write.attempt}`;
  const name = write.name ? cutChars(write.name.replace(/[\]\r\n]/g, ' '), 60) : '';
  const flat = (write.output ?? '').replace(/\s+/g, ' ').trim();
  if (name || flat.startsWith('[')) text += ` · [${name}]`;
  if (!flat) return { description: text, output: '', outputCut: (write.output ?? '') !== '' };
  text += name || flat.startsWith('[') ? ' ' : ' · ';
  const room = MAX_DESCRIPTION - chars(text);
  const kept = cutChars(flat, room);
  return { description: text + kept, output: kept, outputCut: kept !== write.output };
}

const DESCRIPTION = /^(\w+) · run (\d+)\/(\d+)(?: · (?:\[([^\]]*)\](?: |$))?([\s\S]*))?$/;

export function decodeStageDescription(
  description: string,
): Pick<StageRecord, 'status' | 'run' | 'attempt' | 'name' | 'output' | 'outputCut'> | undefined {
  const m = DESCRIPTION.exec(description);
  const status = m ? BY_WORD.get(m[1]) : undefined;
  if (!m || !status) return undefined;
  const output = m[5] ?? '';
  return {
    status,
    run: Number(m[2]),
    attempt: Number(m[3]),
    ...(m[4] ? { name: m[4] } : {}),
    ...(output ? { output, outputCut: output.endsWith('…') } : {}),
  };
}

const entryText = (e: ManifestEntry) => `${e.reset ? '!' : ''}${e.key}=${cutChars(e.name.replace(/[;=\r\n]/g, ' '), 60)}`;

/** `Run 123/1 declares (1/2): !ci=CI Validate; !plan=Plan; @=Title`: packed into parts of at most 140 characters. */
export function encodeManifest(write: ManifestWrite): string[] {
  const items = write.entries.map(entryText);
  if (write.title) items.push(`@=${write.title.replace(/[;=\r\n]/g, ' ')}`);
  const head = (part: number, parts: number) => `Run ${write.run}/${write.attempt} declares (${part}/${parts}): `;
  // Pack with a generous header estimate, then write the real headers.
  const room = MAX_DESCRIPTION - chars(head(999, 999));
  const parts: string[][] = [[]];
  for (const raw of items) {
    const item = cutChars(raw, room);
    const current = parts[parts.length - 1];
    const length = chars(current.join('; ')) + (current.length ? 2 : 0) + chars(item);
    if (current.length > 0 && length > room) parts.push([item]);
    else current.push(item);
  }
  return parts.map((p, i) => head(i + 1, parts.length) + p.join('; '));
}

const MANIFEST_TEXT = /^Run (\d+)\/(\d+) declares \((\d+)\/(\d+)\): ([\s\S]*)$/;

export function decodeManifest(description: string): Omit<ManifestRecord, 'kind' | 'id' | 'at'> | undefined {
  const m = MANIFEST_TEXT.exec(description);
  if (!m) return undefined;
  const entries: ManifestEntry[] = [];
  let title: string | undefined;
  for (const item of m[5].split('; ')) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const rawKey = item.slice(0, at);
    const name = item.slice(at + 1);
    if (rawKey === '@') title = name;
    else entries.push({ key: rawKey.replace(/^!/, ''), name, reset: rawKey.startsWith('!') });
  }
  return { run: Number(m[1]), attempt: Number(m[2]), part: Number(m[3]), parts: Number(m[4]), entries, ...(title ? { title } : {}) };
}

interface ApiStatus {
  id: number;
  description: string | null;
  target_url: string | null;
  context: string;
  created_at: string;
}

/** Decodes one commit status of this marker; undefined for any other status (or a hand-made one). */
export function decodeStatus(s: ApiStatus, marker: string): AnyRecord | undefined {
  const prefix = `${marker}/`;
  if (!s.context.startsWith(prefix)) return undefined;
  const name = s.context.slice(prefix.length);
  if (name === MANIFEST || name.startsWith(`${MANIFEST}.`)) {
    const manifest = decodeManifest(s.description ?? '');
    return manifest && { kind: 'manifest', id: s.id, at: s.created_at, ...manifest };
  }
  const fields = decodeStageDescription(s.description ?? '');
  if (!fields) return undefined;
  return { kind: 'stage', key: name, id: s.id, at: s.created_at, ...(s.target_url ? { link: s.target_url } : {}), ...fields };
}

/** Stage records as commit statuses: context `{marker}/{stage}`, last write wins per context on GitHub. */
export function statusRecordStore(octokit: Octokit, owner: string, repo: string, sha: string, marker: string): RecordStore {
  const post = async (context: string, state: string, description: string, link?: string) => {
    const call = `POST /repos/${owner}/${repo}/statuses/${sha} (context ${context})`;
    try {
      const { data } = await octokit.rest.repos.createCommitStatus({
        owner,
        repo,
        sha,
        context,
        state: state as 'pending',
        description,
        ...(link ? { target_url: link } : {}),
      });
      return data as ApiStatus;
    } catch (error) {
      throw apiFailure(call, error);
    }
  };
  return {
    mode: 'status',
    async writeStage(write) {
      const { description } = encodeStageDescription(write);
      const data = await post(`${marker}/${write.key}`, commitState(write.status), description, write.link);
      return decodeStatus(data, marker) as StageRecord;
    },
    async writeManifest(write) {
      const records: ManifestRecord[] = [];
      const parts = encodeManifest(write);
      for (const [i, description] of parts.entries()) {
        const context = `${marker}/${MANIFEST}${i === 0 ? '' : `.${i + 1}`}`;
        records.push(decodeStatus(await post(context, 'success', description, write.link), marker) as ManifestRecord);
      }
      return records;
    },
    async list() {
      const call = `GET /repos/${owner}/${repo}/commits/${sha}/statuses`;
      const records: AnyRecord[] = [];
      try {
        for (let page = 1; page <= MAX_PAGES; page++) {
          const { data } = await octokit.rest.repos.listCommitStatusesForRef({ owner, repo, ref: sha, per_page: 100, page });
          for (const s of data) {
            const record = decodeStatus(s as ApiStatus, marker);
            if (record) records.push(record);
          }
          if (data.length < 100) break;
        }
      } catch (error) {
        throw apiFailure(call, error);
      }
      return records;
    },
  };
}
