export const id = 920;
export const ids = [920];
export const modules = {

/***/ 7920:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSlackApi: () => (/* binding */ createSlackApi)
/* harmony export */ });
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8337);

/**
 * The Slack Web API through @slack/web-api (loaded only in token mode). The SDK does the request,
 * its form or multipart body and `ok:false` → platform error; our loop does the retries, so a 429
 * waits at most max-retry-wait-seconds (the SDK would sleep any Retry-After) and a non-429 4xx
 * (a wrong slack-api-url) is not retried as if transient.
 */
async function createSlackApi(token, apiUrl, options) {
    const { WebClient, ErrorCode, LogLevel } = await __webpack_require__.e(/* import() */ 502).then(__webpack_require__.t.bind(__webpack_require__, 6502, 23));
    let statusCode;
    const baseFetch = options.fetch ?? fetch;
    const trackingFetch = async (input, init) => {
        statusCode = undefined;
        const res = await baseFetch(input, init);
        statusCode = res.status;
        return res;
    };
    const ignore = () => undefined;
    const client = new WebClient(token, {
        slackApiUrl: apiUrl,
        timeout: options.timeoutMs,
        fetch: trackingFetch,
        allowAbsoluteUrls: false,
        rejectRateLimitedCalls: true,
        retryConfig: { retries: 0 },
        logger: {
            debug: ignore,
            info: ignore,
            warn: (...msg) => options.log(msg.map(String).join(' ')),
            error: (...msg) => options.log(msg.map(String).join(' ')),
            setLevel: ignore,
            getLevel: () => LogLevel.WARN,
            setName: ignore,
        },
    });
    async function attempt(method, args) {
        try {
            const data = (await client.apiCall(method, args));
            const { response_metadata: _meta, ...response } = data;
            return {
                result: {
                    ok: true,
                    statusCode: statusCode ?? 200,
                    ts: typeof data.ts === 'string' ? data.ts : '',
                    channel: typeof data.channel === 'string' ? data.channel : '',
                    response,
                },
            };
        }
        catch (error) {
            const e = error;
            if (e.code === ErrorCode.PlatformError) {
                const { response_metadata: _meta, ...response } = e.data ?? {};
                return {
                    result: { ok: false, statusCode, response, error: `Slack refused ${method}: ${String(e.data?.error ?? 'unknown_error')}` },
                };
            }
            if (e.code === ErrorCode.RateLimitedError)
                return {
                    result: { ok: false, statusCode: 429, error: 'rate limited by Slack (HTTP 429)' },
                    retry: { reason: `Slack rate limit (429) on ${method}`, retryAfterMs: (e.retryAfter ?? 1) * 1000 },
                };
            if (e.code === ErrorCode.HTTPError) {
                const status = e.statusCode ?? statusCode ?? 0;
                const result = { ok: false, statusCode: status, error: `Slack answered HTTP ${status}` };
                return status >= 500 || status === 0 ? { result, retry: { reason: `Slack answered HTTP ${status} to ${method}` } } : { result };
            }
            if (e.code === ErrorCode.RequestError) {
                const reason = (0,_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .describeNetworkError */ .gl)(e.original, options.timeoutMs);
                return { result: { ok: false, error: reason }, retry: { reason: `Slack ${method} failed (${reason})` } };
            }
            return { result: { ok: false, statusCode, error: `Slack ${method} failed: ${e.message ?? String(error)}` } };
        }
    }
    return {
        call: (method, args) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .withRetries */ .LH)(() => attempt(method, args), options),
        // Files appear only when completeUploadExternal succeeds, so retrying the whole upload adds no duplicate.
        upload: (files, channelId, threadTs, comment) => (0,_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .withRetries */ .LH)(() => attempt('files.uploadV2', {
            channel_id: channelId,
            thread_ts: threadTs,
            ...(comment ? { initial_comment: comment } : {}),
            file_uploads: files.map((f) => ({ file: f.file, filename: f.filename })),
        }), options),
    };
}


/***/ })

};

//# sourceMappingURL=920.index.js.map