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
;// CONCATENATED MODULE: ../../packages/kit/src/s3.ts
/**
 * An S3 client on the SDK's standard credential chain and standard retry mode.
 * The SDK is imported on first use so actions that make no S3 call never load it.
 */
async function createS3Client(settings = {}) {
    const { S3Client } = await __webpack_require__.e(/* import() */ 232).then(__webpack_require__.t.bind(__webpack_require__, 79232, 19));
    const region = settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
    return new S3Client({
        region,
        ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
        forcePathStyle: settings.forcePathStyle ?? false,
        retryMode: 'standard',
        maxAttempts: settings.maxAttempts ?? 5,
    });
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

// EXTERNAL MODULE: ./src/memory.ts + 2 modules
var memory = __webpack_require__(96041);
;// CONCATENATED MODULE: ./src/s3-store.ts





/** 5 MiB parts (the S3 minimum), 4 in flight: about 20 MiB of part buffers whatever the artifact size. */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 4;
function s3Client(options, endpoint) {
    return createS3Client({
        region: options.region,
        endpoint: options.endpoint || endpoint || undefined,
        forcePathStyle: options.forcePathStyle,
    });
}
function s3Key(options, service, name) {
    return `${options.prefix}${service}/${name}`;
}
function s3Failure(error, doing, bucket) {
    const kind = classifyS3Error(error);
    const detail = error?.message ?? String(error);
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
/** Streams an object to a file; undefined when the object does not exist. */
async function downloadToFile(client, bucket, key, file) {
    const { GetObjectCommand } = await __webpack_require__.e(/* import() */ 232).then(__webpack_require__.t.bind(__webpack_require__, 79232, 19));
    let body;
    try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        body = out.Body;
    }
    catch (error) {
        if (classifyS3Error(error) === 'no-such-key')
            return 'missing';
        throw s3Failure(error, `Downloading s3://${bucket}/${key}`, bucket);
    }
    await (0,promises_.pipeline)(body, (0,memory/* gcTap */.A)(), (0,external_node_fs_.createWriteStream)(file, { highWaterMark: 1 << 18 }));
    return 'ok';
}


/***/ })

};

//# sourceMappingURL=58.index.js.map