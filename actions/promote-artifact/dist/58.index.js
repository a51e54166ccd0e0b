export const id = 58;
export const ids = [58];
export const modules = {

/***/ 68058:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  downloadToFile: () => (/* binding */ downloadToFile),
  putJson: () => (/* binding */ putJson),
  s3Client: () => (/* binding */ s3Client),
  s3Failure: () => (/* binding */ s3Failure),
  s3Key: () => (/* binding */ s3Key),
  uploadStream: () => (/* binding */ uploadStream)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(46466);
// EXTERNAL MODULE: ../../packages/kit/src/index.ts + 5 modules
var src = __webpack_require__(51863);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(57075);
;// CONCATENATED MODULE: ../../packages/kit/src/s3.ts

/**
 * An S3 client on the SDK's standard credential chain and standard retry mode.
 * The SDK is imported on first use so actions that make no S3 call never load it.
 * Error answers that are not XML (a proxy's HTML page) keep their first line for `explainS3Error`.
 */
async function createS3Client(settings = {}) {
    const { S3Client } = await __webpack_require__.e(/* import() */ 232).then(__webpack_require__.t.bind(__webpack_require__, 79232, 19));
    const region = s3Region(settings);
    const timeouts = settings.connectionTimeoutMs || settings.requestTimeoutMs
        ? {
            requestHandler: {
                connectionTimeout: settings.connectionTimeoutMs,
                requestTimeout: settings.requestTimeoutMs,
                // Without it the SDK only logs a warning when the request timeout passes, and waits on.
                throwOnRequestTimeout: true,
            },
        }
        : {};
    const client = new S3Client({
        region,
        ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
        forcePathStyle: settings.forcePathStyle ?? false,
        retryMode: 'standard',
        maxAttempts: settings.maxAttempts ?? 5,
        ...timeouts,
    });
    client.middlewareStack.add(keepNonXmlErrorBodies, { step: 'deserialize', priority: 'low', name: 'keepNonXmlErrorBodies' });
    return client;
}
/** The region a client made from these settings uses. */
function s3Region(settings = {}) {
    return settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
}
/** Where requests go: the custom endpoint, AWS_ENDPOINT_URL_S3, or AWS's regional endpoint. */
function s3EndpointText(settings = {}) {
    return settings.endpoint || process.env.AWS_ENDPOINT_URL_S3 || `https://s3.${s3Region(settings)}.amazonaws.com`;
}
function classifyS3Error(error) {
    const e = error;
    const name = e?.name ?? e?.Code ?? '';
    const status = e?.$metadata?.httpStatusCode;
    if (name === 'NoSuchBucket')
        return 'no-such-bucket';
    if (name === 'NoSuchKey' || name === 'NotFound' || status === 404)
        return 'no-such-key';
    if (name === 'AccessDenied' || name === 'Forbidden' || status === 403)
        return 'access-denied';
    if (name === 'PreconditionFailed' || status === 412)
        return 'precondition-failed';
    if (/Throttl|SlowDown|TooManyRequests|RequestLimitExceeded/.test(name) || status === 503 || status === 429)
        return 'throttled';
    if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN|TimeoutError|NetworkingError/.test(`${name} ${e?.code ?? ''} ${error?.message ?? ''}`))
        return 'network';
    return 'other';
}
/** Each 403 code AWS sends, with what it means and what fixes it. */
const FORBIDDEN_CAUSES = {
    InvalidAccessKeyId: 'the access key id is not known to AWS (InvalidAccessKeyId): the key was deleted or deactivated, or belongs to another account or endpoint; check AWS_ACCESS_KEY_ID or the role that issues the credentials',
    SignatureDoesNotMatch: 'the request signature does not match (SignatureDoesNotMatch): the secret access key does not belong to the access key id, or something between the runner and S3 rewrote the request; check AWS_SECRET_ACCESS_KEY',
    RequestTimeTooSkewed: "the runner's clock is more than 15 minutes off AWS's (RequestTimeTooSkewed): synchronise the runner's clock (NTP)",
    InvalidToken: 'the session token is malformed or does not belong to these credentials (InvalidToken): set AWS_SESSION_TOKEN from the same source as the key, or clear it for long-term keys',
    ExpiredToken: 'the temporary credentials have expired (ExpiredToken): obtain them closer to this step, or for longer (e.g. role-duration-seconds of aws-actions/configure-aws-credentials longer than the job)',
    AccountProblem: 'the AWS account cannot be used (AccountProblem): its billing or standing has a problem; the account owner must resolve it with AWS',
};
const KMS_CAUSE = 'the object or bucket is encrypted with a KMS key these credentials may not use (AccessDenied from KMS): grant kms:Decrypt (reads) and kms:GenerateDataKey (writes) on the key, in the key policy and the role';
function explainS3Error(error) {
    const e = error;
    const code = e?.Code ?? e?.name ?? 'Error';
    const status = e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
    const rawMessage = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(error);
    const awsMessage = rawMessage === code || rawMessage === 'UnknownError' ? '' : rawMessage;
    const timedOut = code === 'TimeoutError' || e?.code === 'ETIMEDOUT' || /timed? ?out/i.test(rawMessage);
    const details = {
        kind: classifyS3Error(error),
        code,
        status,
        awsMessage,
        timedOut,
        attempts: e?.$metadata?.attempts,
    };
    if (FORBIDDEN_CAUSES[code])
        details.cause = FORBIDDEN_CAUSES[code];
    else if (code === 'AccessDenied' && /\bkms\b|KMS key/i.test(rawMessage))
        details.cause = KMS_CAUSE;
    if (status === 301 || code === 'PermanentRedirect') {
        const header = e?.$response?.headers?.['x-amz-bucket-region'];
        const fromEndpoint = /\.s3[.-]([a-z0-9-]+)\.amazonaws\.com/.exec(e?.Endpoint ?? '')?.[1];
        details.region = header || e?.Region || fromEndpoint || undefined;
        details.cause = details.region
            ? `the bucket is in region ${details.region}, not the one the request went to (PermanentRedirect): set aws-region: ${details.region}`
            : "the bucket is in another region (PermanentRedirect, no region given in the answer): set aws-region to the bucket's region";
    }
    const firstLine = e?.$response ? nonXmlFirstLines.get(e.$response) : undefined;
    if (firstLine !== undefined) {
        const type = e?.$response?.headers?.['content-type'] || 'no content type';
        details.nonXmlBody = `HTTP ${status ?? '?'}, ${type}, first line: ${JSON.stringify(firstLine.slice(0, 200))}`;
    }
    return details;
}
/** First line of every error answer that was not XML, kept until the error that carries the response is gone. */
const nonXmlFirstLines = new WeakMap();
/**
 * Reads an error answer that is not XML before the SDK's XML parser does (which turns an HTML page into
 * "UnknownError"), keeps its first line, and hands the same bytes on. Bounded: at most 64 KiB is read.
 */
const keepNonXmlErrorBodies = (next) => async (args) => {
    const result = await next(args);
    const response = result.response;
    if (!response || response.statusCode < 300)
        return result;
    const type = response.headers?.['content-type'] ?? '';
    if (/xml/i.test(type) || response.body === undefined)
        return result;
    const chunks = [];
    let size = 0;
    for await (const chunk of response.body) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += buffer.length;
        if (size <= 65_536)
            chunks.push(buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() !== '' && !/^\s*<\?xml|^\s*<Error>/i.test(text))
        nonXmlFirstLines.set(response, text
            .split(/\r?\n/)
            .find((l) => l.trim() !== '')
            ?.trim() ?? '');
    response.body = external_node_stream_.Readable.from([Buffer.from(text)]);
    return result;
};

;// CONCATENATED MODULE: ./src/s3-store.ts





/** 5 MiB parts (the S3 minimum), 4 in flight: about 20 MiB of part buffers whatever the artifact size. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 4;
/** A client on the inputs' endpoint only: a record never chooses where a signed request goes. */
function s3Client(options) {
    return createS3Client({
        region: options.region,
        endpoint: options.endpoint || undefined,
        forcePathStyle: options.forcePathStyle,
    });
}
function s3Key(options, service, name) {
    return `${options.prefix}${service}/${name}`;
}
function s3Failure(error, doing, bucket) {
    const kind = classifyS3Error(error);
    const detail = error?.message ?? String(error);
    if (/Could not load credentials|CredentialsProviderError|credential/i.test(`${error?.name} ${detail}`)) {
        return new src/* UserError */.yo(`${doing} failed: no AWS credentials (${detail}). Add a step before this one: aws-actions/configure-aws-credentials with role-to-assume (a role allowed s3:GetObject and s3:PutObject on bucket '${bucket}') and aws-region, and give the job 'permissions: id-token: write' so it can assume the role through OIDC.`);
    }
    switch (kind) {
        case 'no-such-bucket':
            return new src/* UserError */.yo(`${doing} failed: bucket '${bucket}' does not exist (check 'bucket' and 'aws-region').`);
        case 'access-denied':
            return new src/* UserError */.yo(`${doing} failed: access to bucket '${bucket}' was denied (${detail}); the role needs s3:PutObject and s3:GetObject on it.`);
        case 'network':
            return new src/* UserError */.yo(`${doing} failed: the S3 endpoint could not be reached (${detail}); check 's3-endpoint' and the network.`);
        default:
            return new Error(`${doing} failed: ${detail}`);
    }
}
/** Multipart streaming upload: the body is read part by part, never held whole. */
async function uploadStream(client, bucket, key, body, contentType) {
    const { Upload } = await Promise.all(/* import() */[__webpack_require__.e(232), __webpack_require__.e(131)]).then(__webpack_require__.t.bind(__webpack_require__, 49131, 19));
    const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: key, Body: body, ContentType: contentType },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
    });
    try {
        await upload.done();
    }
    catch (error) {
        throw s3Failure(error, `Uploading s3://${bucket}/${key}`, bucket);
    }
}
async function putJson(client, bucket, key, text) {
    const { PutObjectCommand } = await __webpack_require__.e(/* import() */ 232).then(__webpack_require__.t.bind(__webpack_require__, 79232, 19));
    try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text, ContentType: 'application/json' }));
    }
    catch (error) {
        throw s3Failure(error, `Writing the record s3://${bucket}/${key}`, bucket);
    }
}
/** Streams an object to a file, reading no more than `maxBytes`; 'missing' when the object does not exist. */
async function downloadToFile(client, bucket, key, file, maxBytes, what) {
    const { GetObjectCommand } = await __webpack_require__.e(/* import() */ 232).then(__webpack_require__.t.bind(__webpack_require__, 79232, 19));
    let body;
    try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        body = out.Body;
    }
    catch (error) {
        if (classifyS3Error(error) === 'no-such-key')
            return 'missing';
        throw s3Failure(error, `Downloading s3://${bucket}/${key} (${what})`, bucket);
    }
    let seen = 0;
    const cap = new external_node_stream_.Transform({
        transform(chunk, _enc, done) {
            seen += chunk.length;
            if (seen > maxBytes)
                done(new src/* UserError */.yo(`Refusing ${what}: s3://${bucket}/${key} is larger than the ${maxBytes} bytes its record says; nothing was extracted.`));
            else
                done(null, chunk);
        },
    });
    await (0,promises_.pipeline)(body, cap, (0,external_node_fs_.createWriteStream)(file, { highWaterMark: 1 << 18 }));
    return 'ok';
}


/***/ })

};

//# sourceMappingURL=58.index.js.map