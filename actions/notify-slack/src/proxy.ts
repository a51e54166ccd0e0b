/** The proxy every Slack request goes through: the `proxy` input, else HTTPS_PROXY / HTTP_PROXY, minus NO_PROXY. */
export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
  /** Where it came from, for the log line. */
  source: 'input' | 'environment';
}

/** undefined when no proxy is configured (then the plain global fetch is used and undici is never loaded). */
export function proxySettings(input: string, env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  if (input) return { httpProxy: input, httpsProxy: input, noProxy, source: 'input' };
  const httpProxy = env.http_proxy || env.HTTP_PROXY || '';
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY || '';
  if (!httpProxy && !httpsProxy) return undefined;
  // As curl and undici do: an https URL falls back to HTTP_PROXY when HTTPS_PROXY is unset.
  return { httpProxy, httpsProxy: httpsProxy || httpProxy, noProxy, source: 'environment' };
}

/** The proxy URL without its credentials, for log lines. */
export function describeProxy(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the configured proxy';
  }
}

/**
 * A fetch that goes through the proxy with undici's EnvHttpProxyAgent (CONNECT tunnels, NO_PROXY
 * honoured). Node's global fetch ignores proxy variables, and a dispatcher from a bundled undici is
 * not guaranteed to fit the runtime's own fetch, so undici's fetch is used with its own agent.
 */
export async function proxiedFetch(settings: ProxySettings): Promise<typeof fetch> {
  const undici = await import('undici');
  const dispatcher = new undici.EnvHttpProxyAgent({
    httpProxy: settings.httpProxy || undefined,
    httpsProxy: settings.httpsProxy || undefined,
    noProxy: settings.noProxy,
  });
  const proxied = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    let body = init.body;
    const headers = new Headers(init.headers);
    // The Slack SDK builds multipart uploads with the runtime's FormData, which undici's fetch does not
    // recognise: serialise it with the runtime's own Request first, keeping its boundary header.
    if (typeof FormData !== 'undefined' && body instanceof FormData) {
      const encoded = new Request('http://localhost/', { method: 'POST', body });
      headers.set('content-type', encoded.headers.get('content-type') ?? 'multipart/form-data');
      body = Buffer.from(await encoded.arrayBuffer());
    }
    const url = input instanceof Request ? input.url : String(input);
    const res = await undici.fetch(url, { ...(init as object), headers: [...headers], body, dispatcher } as never);
    return res as unknown as Response;
  };
  return proxied as typeof fetch;
}
