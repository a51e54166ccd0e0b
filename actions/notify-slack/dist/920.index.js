export const id = 920;
export const ids = [920];
export const modules = {

/***/ 7920:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   callWebApi: () => (/* binding */ callWebApi)
/* harmony export */ });
/* harmony import */ var _send_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2641);

/**
 * Calls the Slack Web API through @slack/web-api (loaded only in token mode): it waits Retry-After
 * on 429, retries 5xx and network errors with randomised exponential backoff (p-retry), bounds each
 * request with a timeout and turns `ok:false` into a platform error carrying Slack's code.
 * Our wrapper adds the HTTP status (via a counting fetch), the attempt count and a secret-free message.
 */
async function callWebApi(token, apiUrl, method, body, options) {
    const { WebClient, WebClientEvent, ErrorCode, LogLevel } = await __webpack_require__.e(/* import() */ 502).then(__webpack_require__.t.bind(__webpack_require__, 6502, 23));
    let attempts = 0;
    let statusCode;
    const baseFetch = options.fetch ?? fetch;
    const countingFetch = async (input, init) => {
        attempts++;
        statusCode = undefined;
        const res = await baseFetch(input, init);
        statusCode = res.status;
        return res;
    };
    const log = options.log;
    const client = new WebClient(token, {
        slackApiUrl: apiUrl,
        timeout: options.timeoutMs,
        fetch: countingFetch,
        allowAbsoluteUrls: false,
        logger: {
            debug: () => undefined,
            info: (...msg) => log(msg.map(String).join(' ')),
            warn: (...msg) => log(msg.map(String).join(' ')),
            error: (...msg) => log(msg.map(String).join(' ')),
            setLevel: () => undefined,
            getLevel: () => LogLevel.INFO,
            setName: () => undefined,
        },
        retryConfig: {
            retries: options.retries,
            factor: 2,
            minTimeout: 500,
            maxTimeout: 10_000,
            randomize: true,
            // p-retry reads this from the same options object (the SDK's type does not list it). Throwing here
            // stops the retries: the SDK would otherwise retry any non-429 4xx (a wrong slack-api-url) as if transient.
            onFailedAttempt: (error) => {
                const status = error.code === ErrorCode.HTTPError ? (error.statusCode ?? 0) : 0;
                if (status >= 400 && status < 500 && status !== 429)
                    throw error;
                if (error.retriesLeft > 0)
                    log(`Slack ${method} attempt failed (${describe(error)}); retrying (${error.retriesLeft} left).`);
            },
        },
    });
    // The SDK sleeps the whole Retry-After (each wait counts as one retry); say so when it is long.
    client.on(WebClientEvent.RATE_LIMITED, (seconds) => {
        if (seconds * 1000 > _send_js__WEBPACK_IMPORTED_MODULE_0__/* .MAX_RETRY_AFTER_MS */ .yL)
            log(`Slack asks to wait ${seconds} s (Retry-After) before the next try.`);
    });
    try {
        const result = (await client.apiCall(method, body));
        return { ok: true, statusCode: statusCode ?? 200, ts: result.ts ?? '', channel: result.channel ?? '', attempts };
    }
    catch (error) {
        let message = describe(error);
        if (attempts > 1)
            message += `, after ${attempts} attempts`;
        return { ok: false, statusCode, error: message, attempts };
    }
    /** The SDK's error in one line, with Slack's code; the SDK never puts the token in its messages. */
    function describe(error) {
        const e = error;
        if (e.code === ErrorCode.PlatformError)
            return `Slack refused ${method}: ${e.data?.error ?? 'unknown_error'}`;
        if (e.code === ErrorCode.HTTPError)
            return `Slack answered HTTP ${e.statusCode ?? statusCode}`;
        if (e.code === ErrorCode.RequestError) {
            const original = e.original;
            return original?.name === 'TimeoutError' || original?.name === 'AbortError'
                ? `no answer within ${options.timeoutMs / 1000} s`
                : `network error: ${original?.message ?? e.message}${original?.cause?.code ? ` (${original.cause.code})` : ''}`;
        }
        if (/rate limit/i.test(e.message ?? ''))
            return 'rate limited by Slack (HTTP 429)';
        return e.message ?? String(error);
    }
}


/***/ })

};

//# sourceMappingURL=920.index.js.map