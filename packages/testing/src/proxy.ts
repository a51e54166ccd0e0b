import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback HTTP proxy for tests: CONNECT tunnels (what undici's ProxyAgent and most HTTPS clients
 * use) and absolute-URI forwarding (plain HTTP through a proxy). It records every request that went
 * through it, so a test can prove traffic used the proxy (or, with NO_PROXY, did not).
 */
export interface ProxyRecord {
  /** `CONNECT`, or the forwarded method (`POST`, ...). */
  method: string;
  /** `host:port` for CONNECT, the absolute URL for a forwarded request. */
  target: string;
  /** The Proxy-Authorization header, when one was sent. */
  authorization?: string;
  at: number;
}

export interface ProxyOptions {
  /** `user:password` the proxy requires (407 without it). */
  auth?: string;
}

export interface TestProxy {
  /** `http://127.0.0.1:PORT` (with `user:password@` when auth is set). */
  url: string;
  requests: ProxyRecord[];
  stop(): Promise<void>;
}

export async function startProxy(options: ProxyOptions = {}): Promise<TestProxy> {
  const requests: ProxyRecord[] = [];
  const sockets = new Set<Socket>();
  const expected = options.auth ? `Basic ${Buffer.from(options.auth).toString('base64')}` : undefined;
  const allowed = (req: IncomingMessage): boolean => !expected || req.headers['proxy-authorization'] === expected;
  const record = (req: IncomingMessage, target: string) =>
    requests.push({
      method: req.method ?? '',
      target,
      at: Date.now(),
      ...(req.headers['proxy-authorization'] ? { authorization: req.headers['proxy-authorization'] } : {}),
    });

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    record(req, req.url ?? '');
    if (!allowed(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URL expected');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end('bad gateway'));
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    record(req, req.url ?? '');
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => {
      if (!client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.auth ? `${options.auth}@` : ''}127.0.0.1:${port}`,
    requests,
    stop: async () => {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
