export const id = 937;
export const ids = [937];
export const modules = {

/***/ 2937:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  scanAccount: () => (/* binding */ scanAccount)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var dist_cjs = __webpack_require__(6764);
// EXTERNAL MODULE: ./src/core/concurrency.ts + 2 modules
var core_concurrency = __webpack_require__(8637);
// EXTERNAL MODULE: ./src/core/policy.ts
var core_policy = __webpack_require__(2721);
;// CONCATENATED MODULE: ./src/aws/credential-report-body.ts
const OPEN = '<Content>';
const CLOSE = '</Content>';
/**
 * GetCredentialReport's answer with its Content (the whole report, base64) in a CDATA section.
 * The SDK's XML parser (@aws-sdk/xml-builder) builds a text node one character at a time: at
 * 5,000 users that is a string of 1.7 million pieces, about 58 MB of heap at once for a 1.3 MB
 * report, and the action's peak memory. A CDATA section it reads with one slice. Base64 has
 * neither `]]>` nor entities, so the value is the same; anything else is left as it is.
 */
function contentAsCdata(xml) {
    const open = xml.indexOf(OPEN);
    const close = open === -1 ? -1 : xml.indexOf(CLOSE, open);
    if (close === -1)
        return xml;
    const start = open + OPEN.length;
    const text = xml.slice(start, close);
    if (!/^[A-Za-z0-9+/=\s]*$/.test(text))
        return xml;
    return `${xml.slice(0, start)}<![CDATA[${text}]]>${xml.slice(close)}`;
}
async function bytesOf(body) {
    if (body instanceof Uint8Array)
        return body;
    const chunks = [];
    for await (const chunk of body)
        chunks.push(chunk);
    return Buffer.concat(chunks);
}
/**
 * The raw answer, before the SDK's deserializer reads it (successful answers only: errors are
 * the SDK's to read), with its Content as CDATA (contentAsCdata).
 */
const cdataMiddleware = (next) => async (args) => {
    const result = await next(args);
    const response = result.response;
    if (response.statusCode !== 200 || response.body == null)
        return result;
    response.body = new TextEncoder().encode(contentAsCdata(new TextDecoder().decode(await bytesOf(response.body))));
    return result;
};
/** The command, reading its report's Content in one piece (contentAsCdata). */
function withContentInOnePiece(command) {
    command.middlewareStack.addRelativeTo(cdataMiddleware, {
        relation: 'after',
        toMiddleware: 'deserializerMiddleware',
        name: 'iamKeySentryCredentialReportCdata'
    });
    return command;
}

// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(9378);
;// CONCATENATED MODULE: ./src/aws/credential-report.ts



const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * GenerateCredentialReport until COMPLETE (AWS reuses a report younger than four hours),
 * then GetCredentialReport. LimitExceeded means too many report tasks are running
 * account-wide: use whatever report exists instead of waiting.
 */
async function fetchCredentialReport(iam, log, options = {}) {
    const { maxWaitMs = 120_000, firstDelayMs = 300, maxDelayMs = 5_000, sleep = defaultSleep } = options;
    let waited = 0;
    let delay = firstDelayMs;
    let reusedExisting = false;
    for (;;) {
        let state;
        try {
            state = (await iam.send(new dist_cjs/* GenerateCredentialReportCommand */.seh({}))).State;
        }
        catch (err) {
            if ((0,errors/* isLimitExceeded */.xY)(err)) {
                log.warning('GenerateCredentialReport answered LimitExceeded; using the existing credential report');
                reusedExisting = true;
                break;
            }
            throw new errors/* AwsCallError */.iQ('iam:GenerateCredentialReport', err);
        }
        if (state === 'COMPLETE')
            break;
        if (waited + delay > maxWaitMs) {
            throw new Error(`the credential report was still ${state ?? 'not ready'} after ${Math.round(waited / 1000)} s`);
        }
        log.debug(`credential report ${state}; polling again in ${delay} ms`);
        await sleep(delay);
        waited += delay;
        delay = Math.min(delay * 2, maxDelayMs);
    }
    const out = await (0,errors/* call */.T1)('iam:GetCredentialReport', () => iam.send(withContentInOnePiece(new dist_cjs/* GetCredentialReportCommand */.DBo({}))));
    if (!out.Content)
        throw new Error('GetCredentialReport returned no content');
    return { csv: new TextDecoder().decode(out.Content), generatedAt: out.GeneratedTime ?? null, reusedExisting };
}

// EXTERNAL MODULE: ./src/aws/credential-report-csv.ts + 10 modules
var credential_report_csv = __webpack_require__(2901);
;// CONCATENATED MODULE: ./src/aws/tags.ts



/** Users per GetAccountAuthorizationDetails page: the most IAM allows. */
const BULK_PAGE_USERS = 1000;
/**
 * Users needing tags per bulk page above which reading every user's tags beats a ListUserTags
 * call per user needing them. Measured on moto at 20 ms per call, 8 in flight: a 1,000-user page
 * took 0.44-0.65 s, a ListUserTags call 8-10 ms of the pool's time, a cross-over of 46-63 users
 * per page. Where calls run in parallel (IAM), a call costs the pool 20/8 = 2.5 ms and the pages
 * run beside it: F users with findings cost 2F calls' time per-user, and the longer of F calls
 * and the pages in bulk, which is less once F passes 100 per 0.5 s page. 100 holds for both.
 */
const BULK_CROSSOVER_PER_PAGE = 100;
/** Whether reading every user's tags in bulk costs less than one call per user needing them. */
function bulkTagReadPays(usersNeedingTags, totalUsers) {
    return usersNeedingTags > BULK_CROSSOVER_PER_PAGE * Math.max(1, Math.ceil(totalUsers / BULK_PAGE_USERS));
}
/** The wanted tags out of a user's tags; the first of each key wins (keys are unique regardless of case). */
function pick(tags, wanted, into = new Map()) {
    for (const tag of tags) {
        const key = tag.Key?.toLowerCase();
        if (key !== undefined && wanted.has(key) && !into.has(key))
            into.set(key, tag.Value ?? '');
    }
    return into;
}
/** One user's wanted tags with ListUserTags; empty when the user was deleted since it was listed. */
async function listUserTags(iam, userName, wanted) {
    const found = new Map();
    try {
        for await (const page of (0,dist_cjs/* paginateListUserTags */.Ofk)({ client: iam }, { UserName: userName })) {
            pick(page.Tags ?? [], wanted, found);
            if (found.size === wanted.size)
                break;
        }
    }
    catch (err) {
        if (!(0,errors/* isNoSuchEntity */.I0)(err))
            throw new errors/* AwsCallError */.iQ('iam:ListUserTags', err);
    }
    return found;
}
/**
 * The wanted tags of the `needed` users the listing has, with GetAccountAuthorizationDetails
 * (Filter User), a page per 1,000 users, one page at a time. Its pages are few but large: they run beside the per-user pool,
 * not in it, so they never wait behind a thousand queued calls.
 */
async function readAllUserTags(iam, tagKeys, needed, stop) {
    const wanted = new Set(tagKeys.map((k) => k.toLowerCase()));
    // Only the users asked for are kept: a page holds 1,000 users, an account may have 5,000.
    const tags = new Map();
    try {
        const pages = (0,dist_cjs/* paginateGetAccountAuthorizationDetails */.YS4)({ client: iam, pageSize: BULK_PAGE_USERS }, { Filter: ['User'] });
        for await (const page of pages) {
            // Checked before the next page is asked for.
            stop?.throwIfAborted();
            for (const user of page.UserDetailList ?? [])
                if (user.UserName && needed.has(user.UserName))
                    tags.set(user.UserName, pick(user.Tags ?? [], wanted));
        }
    }
    catch (err) {
        throw new errors/* AwsCallError */.iQ('iam:GetAccountAuthorizationDetails', err);
    }
    return tags;
}
/**
 * The wanted tags of `userNames`: in bulk when that is cheaper (bulkTagReadPays), else with one
 * ListUserTags listing per user in the shared pool (the exemption and owner tags share it). Bulk
 * denied or failed: per-user instead, said in `bulkFailed`, never a failed scan. A user the bulk listing
 * lacks (made or renamed since) is read on its own. ListUserTags denied: `denied` says so, no
 * more of them are made, and the users read one at a time are left out of `tags`.
 */
async function readTagsOf(iam, userNames, tagKeys, options) {
    const wanted = new Set(tagKeys.map((k) => k.toLowerCase()));
    const result = { tags: new Map(), denied: null, bulkFailed: null, how: 'none' };
    if (wanted.size === 0 || userNames.length === 0)
        return result;
    let rest = userNames;
    if (bulkTagReadPays(userNames.length, options.totalUsers)) {
        try {
            result.tags = await readAllUserTags(iam, tagKeys, new Set(userNames), options.limit.signal);
            rest = userNames.filter((u) => !result.tags.has(u));
            result.how = 'bulk';
        }
        catch (err) {
            // Stopped because the account failed: nothing more to read.
            if (options.limit.signal.aborted)
                throw options.limit.signal.reason;
            // The bulk read only saves calls: whatever stops it, the per-user reads still can be made.
            result.bulkFailed = (0,errors/* errorMessage */.gJ)(err);
        }
    }
    if (rest.length === 0)
        return result;
    if (result.how === 'none')
        result.how = 'per-user';
    await Promise.all(rest.map((user) => options.limit(async () => {
        if (result.denied !== null)
            return;
        try {
            result.tags.set(user, await listUserTags(iam, user, wanted));
        }
        catch (err) {
            if (!(0,errors/* isAccessDenied */.w7)(err))
                throw err;
            result.denied ??= (0,errors/* errorMessage */.gJ)(err);
        }
    })));
    // Which of them were read before the denial depends on the order the calls ran in: none of them
    // counts, so that the same account always gives the same findings. Those read in bulk do.
    if (result.denied !== null)
        for (const user of rest)
            result.tags.delete(user);
    return result;
}
/** One tag's value for each user (undefined: not tagged). Calls grow with findings, not users. */
async function readUserTag(iam, userNames, tagKey, concurrency) {
    const tags = await readUserTags(iam, userNames, [tagKey], concurrency);
    return new Map([...tags].map(([user, values]) => [user, values.get(tagKey.toLowerCase())]));
}
/**
 * Several tags' values for each user, with one ListUserTags listing per user (the exemption and
 * owner tags share it). Keys come back lower-cased: IAM tag keys are unique regardless of case,
 * so `Key-Sentry:Exempt` is the same tag. A user without a tag has no entry for it.
 */
async function readUserTags(iam, userNames, tagKeys, concurrency) {
    const wanted = new Set(tagKeys.map((k) => k.toLowerCase()));
    const values = await mapLimit(userNames, concurrency, async (userName) => [userName, await listUserTags(iam, userName, wanted)]);
    return new Map(values);
}

;// CONCATENATED MODULE: ./src/aws/inventory.ts







/** Every key of one user, with ids; [] when the user was deleted since the report. */
async function listUserKeys(iam, userName, userArn, user) {
    const keys = [];
    try {
        for await (const page of (0,dist_cjs/* paginateListAccessKeys */.YQh)({ client: iam }, { UserName: userName })) {
            for (const k of page.AccessKeyMetadata ?? []) {
                if (!k.AccessKeyId || !k.CreateDate)
                    continue;
                keys.push({
                    userName,
                    userArn,
                    accessKeyId: k.AccessKeyId,
                    status: k.Status === 'Active' ? 'Active' : 'Inactive',
                    createdAt: k.CreateDate,
                    lastUsedAt: null,
                    lastUsedService: null,
                    isRoot: false,
                    passwordEnabled: user.passwordEnabled ?? null,
                    userCreatedAt: user.userCreatedAt ?? null
                });
            }
        }
    }
    catch (err) {
        if ((0,errors/* isNoSuchEntity */.I0)(err))
            return [];
        throw new errors/* AwsCallError */.iQ('iam:ListAccessKeys', err);
    }
    return keys;
}
/**
 * The report's keys have no ids: match the listed ones by creation second to keep last use.
 * Each report key matches once; a listed key without exactly one match (two keys made in the
 * same second, or one made since the report) is returned in `unknown`, to be looked up.
 */
function mergeLastUse(listed, fromCredentialReport) {
    const second = (k) => Math.floor(k.createdAt.getTime() / 1000);
    const unknown = [];
    const keys = listed.map((key) => {
        const matches = fromCredentialReport.filter((r) => second(r) === second(key));
        if (matches.length !== 1) {
            const copy = { ...key };
            unknown.push(copy);
            return copy;
        }
        return { ...key, lastUsedAt: matches[0].lastUsedAt, lastUsedService: matches[0].lastUsedService };
    });
    return { keys, unknown };
}
/**
 * GetAccessKeyLastUsed for each key (one call a key), filled in place. A key deleted since it
 * was listed is left out of the returned list.
 */
async function lookUpLastUse(iam, keys, limit) {
    const gone = new Set();
    await Promise.all(keys.map((key) => limit(async () => {
        let out;
        try {
            out = await iam.send(new dist_cjs/* GetAccessKeyLastUsedCommand */.qRl({ AccessKeyId: key.accessKeyId ?? undefined }));
        }
        catch (err) {
            if ((0,errors/* isNoSuchEntity */.I0)(err))
                return void gone.add(key);
            throw new errors/* AwsCallError */.iQ('iam:GetAccessKeyLastUsed', err);
        }
        const used = out.AccessKeyLastUsed;
        key.lastUsedAt = used?.LastUsedDate ?? null;
        key.lastUsedService = used?.ServiceName && used.ServiceName !== 'N/A' ? used.ServiceName : null;
    })));
    return gone;
}
async function readCredentialReport(iam, options) {
    const fetched = await fetchCredentialReport(iam, options.log, options.credentialReportPolling);
    const rows = (0,credential_report_csv/* parseCredentialReport */.tX)(fetched.csv);
    const notes = [];
    if (fetched.reusedExisting) {
        const when = fetched.generatedAt ? ` from ${fetched.generatedAt.toISOString()}` : '';
        notes.push(`AWS was busy generating reports (LimitExceeded), so the existing credential report${when} was used`);
    }
    return { rows, notes };
}
/**
 * The report's flagged users confirmed with ListAccessKeys (key ids, and what is still true of
 * a report that may be hours old), GetAccessKeyLastUsed where the report cannot tell, and their
 * tags when asked for: all through one pool, so no phase waits for the last call of another.
 */
async function confirmCredentialReport(iam, credentialReport, options) {
    const { policy, now, log } = options;
    const { rows } = credentialReport;
    const keys = [];
    const flagged = [];
    for (const row of rows) {
        const needsIds = !row.isRoot && (0,core_policy/* classifyKeys */.V1)(row.keys, policy, now).some((kind) => kind !== null);
        if (needsIds)
            flagged.push(row);
        else
            keys.push(...row.keys);
    }
    log.info(`credential report: ${rows.length} rows, ${flagged.length} users to confirm with ListAccessKeys`);
    // The first failed call fails the account: the calls queued behind it are not made.
    const limit = (0,core_concurrency/* failFastPool */.l)(options.concurrency);
    const gone = new Set();
    const confirming = Promise.all(flagged.map(async (row) => {
        const { keys: listed, unknown } = mergeLastUse(await limit(() => listUserKeys(iam, row.userName, row.userArn, row.keys[0] ?? {})), row.keys);
        // Last use the report cannot tell apart is looked up, only where the unused or the
        // setup-key rule needs it.
        const lookUp = unknown.filter((k) => k.status === 'Active' && (policy.maxUnusedDays !== null || isSetupCandidate(k, policy, now)));
        for (const k of await lookUpLastUse(iam, lookUp, limit))
            gone.add(k);
        return listed;
    }));
    // Queued after the confirmations: their last-use look-ups join the queue as they finish.
    const { tags } = options;
    const reading = tags
        ? readTagsOf(iam, flagged.filter((r) => !tags.skip(r.userName)).map((r) => r.userName), tags.keys, { totalUsers: (0,credential_report_csv/* iamUserCount */.K6)(rows), limit })
        : Promise.resolve(undefined);
    const [confirmed, tagRead] = await Promise.all([confirming, reading]);
    keys.push(...confirmed.flat().filter((k) => !gone.has(k)));
    return { dataSource: 'credential-report', users: (0,credential_report_csv/* iamUserCount */.K6)(rows), keys, notes: [...credentialReport.notes], tagRead };
}
/**
 * Credential report path: a constant number of calls for the whole account, then
 * ListAccessKeys only for users whose report row breaks the policy (to get key ids and
 * to confirm against a report that may be hours old).
 */
async function inventoryFromCredentialReport(iam, options) {
    return confirmCredentialReport(iam, await readCredentialReport(iam, options), options);
}
/**
 * Could the key be a setup-key: active, an IAM user's, made within 24 hours of its user, and with
 * no more severe kind of its own? Whether the user has a console password and whether the key was
 * ever used may not be known yet: that is what is looked up for a candidate.
 */
function isSetupCandidate(key, policy, now) {
    if (key.isRoot || key.status !== 'Active' || key.passwordEnabled === false || !(0,core_policy/* createdAtSetup */.VB)(key))
        return false;
    const own = (0,core_policy/* classifyKey */.eL)({ ...key, passwordEnabled: null }, policy, now);
    return own === null || (0,core_policy/* moreSevere */._q)('setup-key', own);
}
/**
 * GetLoginProfile for each user (one call a user), filled into each of their keys:
 * NoSuchEntity means no console password. Null when denied (the note says so): the setup-key rule
 * is then not applied to that user rather than failing the scan for a permission older setups lack.
 */
async function lookUpConsolePasswords(iam, keys, concurrency) {
    const users = [...new Set(keys.map((k) => k.userName))];
    let denied = null;
    const password = new Map();
    await (0,core_concurrency/* mapLimit */.s)(users, concurrency, async (userName) => {
        try {
            await iam.send(new dist_cjs/* GetLoginProfileCommand */.aZV({ UserName: userName }));
            password.set(userName, true);
        }
        catch (err) {
            if ((0,errors/* isNoSuchEntity */.I0)(err))
                return void password.set(userName, false);
            if (!(0,errors/* isAccessDenied */.w7)(err))
                throw new errors/* AwsCallError */.iQ('iam:GetLoginProfile', err);
            denied ??= `${(0,errors/* errorName */.Is)(err)}: ${(0,errors/* errorMessage */.gJ)(err)}`;
            password.set(userName, null);
        }
    });
    for (const key of keys)
        key.passwordEnabled = password.get(key.userName) ?? null;
    return denied === null ? null : `setup-key was not checked for ${users.length === 1 ? 'a user' : 'some users'}: iam:GetLoginProfile was denied (${denied})`;
}
/**
 * Listing path: ListUsers, then ListAccessKeys per user, concurrently within a bound. The setup-key
 * rule costs calls only for its candidates (keys made within 24 hours of their user): their last
 * use, where not already looked up, and GetLoginProfile for the users of those never used.
 */
async function inventoryFromApi(iam, options) {
    const { policy, log, now } = options;
    const users = [];
    await (0,errors/* call */.T1)('iam:ListUsers', async () => {
        for await (const page of (0,dist_cjs/* paginateListUsers */.IVP)({ client: iam, pageSize: 1000 }, {})) {
            for (const u of page.Users ?? [])
                if (u.UserName && u.Arn)
                    users.push({ name: u.UserName, arn: u.Arn, createdAt: u.CreateDate ?? null });
        }
    });
    log.info(`ListUsers: ${users.length} users`);
    const listed = (await (0,core_concurrency/* mapLimit */.s)(users, options.concurrency, (u) => listUserKeys(iam, u.name, u.arn, { passwordEnabled: null, userCreatedAt: u.createdAt }))).flat();
    // Last use costs one call per key: made only when the unused rule needs it...
    const needLastUse = policy.maxUnusedDays === null ? [] : listed.filter((k) => k.status === 'Active');
    const limit = (0,core_concurrency/* failFastPool */.l)(options.concurrency);
    const gone = await lookUpLastUse(iam, needLastUse, limit);
    // ...and for the setup-key candidates.
    const candidates = listed.filter((k) => !gone.has(k) && isSetupCandidate(k, policy, now));
    const lookedUp = new Set(needLastUse);
    for (const k of await lookUpLastUse(iam, candidates.filter((k) => !lookedUp.has(k)), limit))
        gone.add(k);
    const neverUsed = candidates.filter((k) => !gone.has(k) && k.lastUsedAt === null);
    const notes = [];
    if (candidates.length > 0)
        log.info(`setup-key: ${candidates.length} keys made within 24 hours of their user, ${neverUsed.length} never used`);
    const denied = neverUsed.length > 0 ? await lookUpConsolePasswords(iam, neverUsed, options.concurrency) : null;
    if (denied)
        notes.push(denied);
    const keys = listed.filter((k) => !gone.has(k));
    return { dataSource: 'api', users: users.length, keys, notes };
}
/**
 * `auto`: the credential report, and listing when the report cannot be got or read. A failed
 * confirmation is not a reason to list: listing makes the same calls for every user, so it
 * would fail the same way, only slower (throttling) or with more calls.
 */
async function collectInventory(iam, options) {
    if (options.dataSource === 'api')
        return inventoryFromApi(iam, options);
    if (options.dataSource === 'credential-report')
        return inventoryFromCredentialReport(iam, options);
    let credentialReport;
    try {
        credentialReport = await readCredentialReport(iam, options);
    }
    catch (err) {
        const reason = (0,errors/* errorMessage */.gJ)(err);
        options.log.warning(`Credential report unavailable (${reason}); listing users and keys instead`);
        const inventory = await inventoryFromApi(iam, options);
        inventory.notes.push(`fell back to listing users and keys: ${reason}`);
        return inventory;
    }
    return confirmCredentialReport(iam, credentialReport, options);
}

// EXTERNAL MODULE: ./src/aws/identity.ts
var identity = __webpack_require__(6367);
// EXTERNAL MODULE: ./src/core/assess.ts
var assess = __webpack_require__(2921);
// EXTERNAL MODULE: ./src/core/exemptions.ts
var exemptions = __webpack_require__(5055);
// EXTERNAL MODULE: ./src/core/logger.ts
var logger = __webpack_require__(1227);
// EXTERNAL MODULE: ./src/core/plural.ts
var plural = __webpack_require__(2657);
;// CONCATENATED MODULE: ./src/scan/account.ts










/** The user tags the scan reads (exemption and owner), none when both are off. */
function wantedTags(options) {
    const keys = [options.exemptions.tagKey, options.owners?.tagKey ?? null].filter((k) => k !== null);
    // A user exempt by name needs neither tag.
    return keys.length === 0 ? undefined : { keys, skip: (userName) => (0,exemptions/* matchingPattern */.Yn)(userName, options.exemptions.userPatterns) !== null };
}
/**
 * The exemption and owner tags of the users with findings: those the inventory read on its way
 * (the report path), and the rest now, in bulk or one ListUserTags per user (readTagsOf): calls
 * grow with findings, not users. The root user has no tags. ListUserTags denied: the findings of
 * the users whose tags were not read are not exempted by tag and get no owner from a tag (the
 * safe side), and `unread` says why; users read in bulk keep their tags.
 */
async function userTags(iam, inventory, findings, options) {
    const request = wantedTags(options);
    const none = { exempt: new Map(), owner: new Map(), unread: null, bulkFailed: null };
    const users = [...new Set(findings.filter((f) => !(0,core_policy/* isRootFinding */.qt)(f) && !request?.skip(f.userName)).map((f) => f.userName))];
    if (!request || users.length === 0)
        return none;
    const early = inventory.tagRead;
    const rest = early?.denied ? [] : users.filter((u) => !early?.tags.has(u));
    const late = await readTagsOf(iam, rest, request.keys, { totalUsers: inventory.users, limit: (0,core_concurrency/* failFastPool */.l)(options.concurrency) });
    const bulkFailed = early?.bulkFailed ?? late.bulkFailed;
    const denied = early?.denied ?? late.denied;
    const tagOf = (u) => early?.tags.get(u) ?? late.tags.get(u);
    // Denied: the users whose tags were not read are unknown, on the safe side (not exempted by
    // tag, no owner from a tag); those read in bulk keep theirs (readTagsOf).
    const unreadUsers = denied ? users.filter((u) => tagOf(u) === undefined) : [];
    const pick = (key) => new Map(key ? users.map((u) => [u, tagOf(u)?.get(key.toLowerCase())]) : []);
    const calls = { bulk: 'GetAccountAuthorizationDetails', 'per-user': 'ListUserTags', none: null };
    const how = [...new Set([early?.how, late.how].map((h) => (h ? calls[h] : null)).filter(Boolean))].join(' and ');
    const read = users.length - unreadUsers.length;
    const of = unreadUsers.length ? `${read} of ${users.length}` : `${users.length}`;
    if (read > 0)
        options.log.info(`user tags (${request.keys.join(', ')}) read for ${of} users with findings${how ? ` (${how})` : ''}`);
    let unread = null;
    if (unreadUsers.length === users.length) {
        const lost = [options.exemptions.tagKey ? 'no finding is exempted by tag' : null, options.owners?.tagKey ? 'no owner comes from a tag' : null];
        unread = `user tags could not be read (${denied}); ${lost.filter(Boolean).join(', ')}`;
    }
    else if (unreadUsers.length) {
        const lost = [options.exemptions.tagKey ? 'none of their findings is exempted by tag' : null, options.owners?.tagKey ? 'no owner of theirs comes from a tag' : null];
        unread = `the tags of ${(0,plural/* plural */.L)(unreadUsers.length, 'user')} with findings could not be read (${denied}); ${lost.filter(Boolean).join(', ')}`;
    }
    return { exempt: pick(options.exemptions.tagKey), owner: pick(options.owners?.tagKey ?? null), unread, bulkFailed };
}
/**
 * Inventory one account, apply the policy and the exemptions. Throws when the scan cannot
 * complete. Every line it logs starts with the account's id.
 */
async function scanAccount(clients, scanOptions, accountId) {
    const id = accountId ?? (await (0,identity/* callerAccountId */.A)(clients.sts));
    const options = { ...scanOptions, log: (0,logger/* forAccount */.fS)(scanOptions.log, id) };
    const { tagRead, ...inventory } = await collectInventory(clients.iam, { ...options, tags: wantedTags(options) });
    const findings = (0,core_policy/* evaluate */._3)(id, inventory.keys, options.policy, options.now);
    const tags = await userTags(clients.iam, { users: inventory.users, tagRead }, findings, options);
    const problems = tags.unread ? [tags.unread] : [];
    // Not a lesser scan, only a slower one: a warning (grouped across accounts), not a note.
    const slower = tags.bulkFailed ? [`user tags were read one user at a time: ${tags.bulkFailed}`] : [];
    const { scan, warnings: mistakes } = (0,assess/* assess */.n)({
        accountId: id,
        inventory: { ...inventory, notes: [...inventory.notes, ...problems] },
        findings,
        exemptions: options.exemptions,
        tags: tags.exempt,
        owners: options.owners,
        ownerTags: tags.owner,
        now: options.now
    });
    // A tag value that exempts nothing, exempt-users hiding everyone, or tags that could not be
    // read are mistakes to fix: said as warnings in the log as well as in the summary. The scan of
    // many accounts groups them, so 10,000 accounts with the same mistake are one line.
    return { ...scan, warnings: [...problems, ...slower, ...mistakes], inventory: inventory.keys };
}


/***/ })

};
