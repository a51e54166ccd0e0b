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
  return { ...(await listen(server, requests)), runs };
}

export interface FakeServer {
  url: string;
  /** Requests seen, as "METHOD path". */
  requests: string[];
  stop(): Promise<void>;
}

async function listen(server: Server, requests: string[]): Promise<FakeServer> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A proxy in front of a real S3 server that drops If-None-Match and If-Match, as an S3-compatible store
 * without conditional writes behaves: every conditional write succeeds.
 */
export function startHeaderStrippingProxy(target: string): Promise<FakeServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const headers = { ...req.headers };
    delete headers['if-none-match'];
    delete headers['if-match'];
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      fetch(`${target}${req.url}`, {
        method: req.method,
        headers: headers as Record<string, string>,
        body: ['GET', 'HEAD'].includes(req.method ?? '') ? undefined : Buffer.concat(body),
      })
        .then(async (answer) => {
          const out = Buffer.from(await answer.arrayBuffer());
          const passed: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (!['content-length', 'transfer-encoding', 'connection', 'content-encoding'].includes(name)) passed[name] = value;
          });
          res.writeHead(answer.status, passed).end(out);
        })
        .catch((error: Error) => res.writeHead(502).end(error.message));
    });
  });
  return listen(server, requests);
}

/** An endpoint that accepts every connection and never answers. */
export function startSilentEndpoint(): Promise<FakeServer> {
  const requests: string[] = [];
  const server = createServer((req) => {
    requests.push(`${req.method} ${req.url}`);
  });
  return listen(server, requests);
}

/** The S3 error answers the fault tests need, by bucket name (path-style requests). */
export const FAULTS: Record<string, { status: number; code?: string; message?: string; headers?: Record<string, string>; body?: string }> =
  {
    'key-unknown': {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    },
    'bad-signature': {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    },
    'clock-skew': {
      status: 403,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
    },
    'bad-token': { status: 400, code: 'InvalidToken', message: 'The provided token is malformed or otherwise invalid.' },
    'old-token': { status: 400, code: 'ExpiredToken', message: 'The provided token has expired.' },
    'kms-deny': {
      status: 403,
      code: 'AccessDenied',
      message:
        'User: arn:aws:sts::123:assumed-role/loader is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext',
    },
    'account-problem': { status: 403, code: 'AccountProblem', message: 'There is a problem with your AWS account.' },
    'plain-deny': { status: 403, code: 'AccessDenied', message: 'Access Denied' },
    moved: {
      status: 301,
      code: 'PermanentRedirect',
      message: 'The bucket you are attempting to access must be addressed using the specified endpoint.',
      headers: { 'x-amz-bucket-region': 'eu-central-1' },
    },
    gateway: {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>502 Bad Gateway</title></head>\n<body><center>nginx</center></body></html>',
    },
  };

/** An S3 endpoint that answers every request to bucket B with FAULTS[B]: AWS's XML error, or the raw body given. */
export function startFaultyS3(): Promise<FakeServer> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const bucket = (req.url ?? '/').split(/[/?]/)[1] ?? '';
    req.resume();
    if (bucket === 'conflict') return answerConflict(req.method ?? '', req.url ?? '', res);
    const fault = FAULTS[bucket] ?? { status: 404, code: 'NoSuchBucket', message: 'The specified bucket does not exist' };
    const body =
      fault.body ??
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>${fault.message}</Message><RequestId>R1</RequestId></Error>`;
    res.writeHead(fault.status, { 'content-type': 'application/xml', ...fault.headers }).end(body);
  });
  return listen(server, requests);
}

/** Bucket 'conflict': an empty batch that answers every PutObject with 409 ConditionalRequestConflict, as S3 does under overlapping conditional writes. */
function answerConflict(method: string, url: string, res: import('node:http').ServerResponse): void {
  const xml = { 'content-type': 'application/xml' };
  if (method === 'GET' && url.includes('list-type=2')) {
    res
      .writeHead(200, xml)
      .end(
        '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>conflict</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>',
      );
  } else if (method === 'PUT') {
    res
      .writeHead(409, xml)
      .end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ConditionalRequestConflict</Code><Message>A conflicting operation occurred. If using PutObject you can retry the request.</Message></Error>',
      );
  } else {
    res
      .writeHead(404, xml)
      .end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      );
  }
}
