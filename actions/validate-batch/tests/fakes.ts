import { createServer, type Server } from 'node:http';

export interface RunStatusServer {
  url: string;
  /** Run id -> what GitHub's GET .../actions/runs/{id} answers. */
  runs: Map<string, { status: string; conclusion: string | null }>;
  requests: string[];
  stop(): Promise<void>;
}

/**
 * GET /repos/{owner}/{repo}/actions/runs/{run_id}, the one GitHub route claim uses, answered as GitHub does
 * (a workflow-run object, 404 with GitHub's error body). The shared fake GitHub has no workflow-run route.
 */
export async function startRunStatusServer(): Promise<RunStatusServer> {
  const runs = new Map<string, { status: string; conclusion: string | null }>();
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const auth = (req.headers.authorization ?? '').split(' ')[0] + ' ' + (req.headers.authorization ?? '').split(' ')[1];
    requests.push(`${req.method} ${req.url} ${auth}`);
    const match = /^\/repos\/([^/]+)\/([^/]+)\/actions\/runs\/(\d+)$/.exec(req.url ?? '');
    const run = match ? runs.get(match[3]) : undefined;
    if (!match || !run) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found', status: '404' }));
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ id: Number(match[3]), status: run.status, conclusion: run.conclusion, run_attempt: 1 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    runs,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
