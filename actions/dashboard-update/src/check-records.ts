import type { Octokit } from '@pipeline-actions/kit/github';
import { apiFailure } from './api-error.js';
import { compareRuns, type AnyRecord, type ManifestRecord, type RecordStore, type StageRecord } from './records.js';
import { STATUSES, type Status } from './status.js';

/** GitHub's limit on a check run's output.text, in characters. */
const MAX_TEXT = 65_535;
const MAX_PAGES = 10;

type CheckFields = { status: 'queued' | 'in_progress' | 'completed'; conclusion?: 'success' | 'failure' | 'skipped' | 'cancelled' };

function checkFields(status: Status): CheckFields {
  if (status === 'pending') return { status: 'queued' };
  if (status === 'running') return { status: 'in_progress' };
  return { status: 'completed', conclusion: status };
}

interface ApiCheckRun {
  id: number;
  name: string;
  external_id: string | null;
  details_url: string | null;
  started_at: string | null;
  completed_at: string | null;
  output: { text?: string | null };
}

/** Decodes one check run of this marker (its record is in external_id, its output in output.text). */
export function decodeCheckRun(c: ApiCheckRun, marker: string): AnyRecord | undefined {
  const prefix = `${marker}/`;
  if (!c.name.startsWith(prefix)) return undefined;
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(c.external_id ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const at = c.completed_at ?? c.started_at ?? '';
  if (typeof meta.r !== 'number' || typeof meta.a !== 'number') return undefined;
  if (meta.m === 1) {
    try {
      const body = JSON.parse(c.output.text ?? '') as Pick<ManifestRecord, 'entries' | 'title'>;
      if (!Array.isArray(body.entries)) return undefined;
      return {
        kind: 'manifest',
        id: c.id,
        at,
        run: meta.r,
        attempt: meta.a,
        part: 1,
        parts: 1,
        entries: body.entries,
        ...(body.title ? { title: body.title } : {}),
      };
    } catch {
      return undefined;
    }
  }
  if (!STATUSES.includes(meta.s as Status)) return undefined;
  const output = c.output.text ?? '';
  return {
    kind: 'stage',
    key: c.name.slice(prefix.length),
    id: c.id,
    at,
    status: meta.s as Status,
    run: meta.r,
    attempt: meta.a,
    ...(typeof meta.n === 'string' ? { name: meta.n } : {}),
    ...(c.details_url ? { link: c.details_url } : {}),
    ...(output ? { output, outputCut: meta.c === 1 } : {}),
  };
}

/**
 * Stage records as check runs: name `{marker}/{stage}`, the record in external_id, the whole output
 * (up to 65,535 characters) in output.text, so outputs are part of the atomic record.
 */
export function checkRunRecordStore(octokit: Octokit, owner: string, repo: string, sha: string, marker: string): RecordStore {
  const create = async (name: string, fields: CheckFields, meta: Record<string, unknown>, title: string, text: string, link?: string) => {
    const call = `POST /repos/${owner}/${repo}/check-runs (name ${name})`;
    try {
      const { data } = await octokit.rest.checks.create({
        owner,
        repo,
        name,
        head_sha: sha,
        ...fields,
        external_id: JSON.stringify(meta),
        ...(link ? { details_url: link } : {}),
        output: { title, summary: title, text },
      });
      return data as unknown as ApiCheckRun;
    } catch (error) {
      throw apiFailure(call, error);
    }
  };
  return {
    mode: 'check-run',
    async writeStage(write, current) {
      const full = write.output ?? '';
      const text = [...full].length > MAX_TEXT ? [...full].slice(0, MAX_TEXT - 1).join('') + '…' : full;
      const meta = {
        s: write.status,
        r: write.run,
        a: write.attempt,
        ...(write.name ? { n: write.name } : {}),
        ...(text !== full ? { c: 1 } : {}),
      };
      const name = `${marker}/${write.key}`;
      // This attempt's own queued or running check run is completed in place, so none stays spinning in the checks list.
      if (current && compareRuns(current, write) === 0 && (current.status === 'pending' || current.status === 'running')) {
        const call = `PATCH /repos/${owner}/${repo}/check-runs/${current.id} (name ${name})`;
        try {
          const { data } = await octokit.rest.checks.update({
            owner,
            repo,
            check_run_id: current.id,
            ...checkFields(write.status),
            external_id: JSON.stringify(meta),
            ...(write.link ? { details_url: write.link } : {}),
            output: { title: write.status, summary: write.status, text },
          });
          return decodeCheckRun(data as unknown as ApiCheckRun, marker) as StageRecord;
        } catch (error) {
          throw apiFailure(call, error);
        }
      }
      const data = await create(name, checkFields(write.status), meta, write.status, text, write.link);
      return decodeCheckRun(data, marker) as StageRecord;
    },
    async writeManifest(write) {
      const text = JSON.stringify({ entries: write.entries, ...(write.title ? { title: write.title } : {}) });
      const title = `Run ${write.run}/${write.attempt} declares ${write.entries.map((e) => e.key).join(', ')}`.slice(0, 1000);
      const data = await create(
        `${marker}/_init`,
        { status: 'completed', conclusion: 'success' },
        { m: 1, r: write.run, a: write.attempt },
        title,
        text,
        write.link,
      );
      return [decodeCheckRun(data, marker) as ManifestRecord];
    },
    async list() {
      const call = `GET /repos/${owner}/${repo}/commits/${sha}/check-runs`;
      const records: AnyRecord[] = [];
      try {
        for (let page = 1; page <= MAX_PAGES; page++) {
          const { data } = await octokit.rest.checks.listForRef({ owner, repo, ref: sha, per_page: 100, page, filter: 'all' });
          for (const c of data.check_runs) {
            const record = decodeCheckRun(c as unknown as ApiCheckRun, marker);
            if (record) records.push(record);
          }
          if (data.check_runs.length < 100) break;
        }
      } catch (error) {
        throw apiFailure(call, error);
      }
      return records;
    },
  };
}
