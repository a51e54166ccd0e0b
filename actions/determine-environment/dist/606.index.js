export const id = 606;
export const ids = [606];
export const modules = {

/***/ 606:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createOctokit: () => (/* binding */ createOctokit)
/* harmony export */ });
/* unused harmony export httpStatus */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6226);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2087);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(545);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6404);




/**
 * An Octokit with GitHub's recommended retry and throttling plugins:
 * 5xx and network errors are retried, primary and secondary rate limits wait for Retry-After.
 */
function createOctokit(token, options = {}) {
    const rateLimitRetries = options.rateLimitRetries ?? 3;
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(token, {
        ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
        // Plugin-level, not request.retries: a per-request value makes plugin-retry retry every failure,
        // 404 and 422 included; at plugin level it keeps GitHub's do-not-retry statuses.
        retry: { retries: options.retries ?? 3 },
        throttle: {
            onRateLimit: (retryAfter, opts, _o, retryCount) => {
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`GitHub rate limit hit on ${opts.method} ${opts.url}; retrying after ${retryAfter} s.`);
                return retryCount < rateLimitRetries;
            },
            onSecondaryRateLimit: (retryAfter, opts, _o, retryCount) => {
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`GitHub secondary rate limit hit on ${opts.method} ${opts.url}; retrying after ${retryAfter} s.`);
                return retryCount < rateLimitRetries;
            },
        },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_2__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_3__/* .throttling */ .A);
}
/** The HTTP status of an Octokit RequestError, or undefined for anything else. */
function httpStatus(error) {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
}


/***/ })

};

//# sourceMappingURL=606.index.js.map