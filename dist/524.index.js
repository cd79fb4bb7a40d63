export const id = 524;
export const ids = [524,102];
export const modules = {

/***/ 2524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  remediate: () => (/* binding */ remediate)
});

// EXTERNAL MODULE: ./src/aws/clients.ts
var clients = __webpack_require__(201);
// EXTERNAL MODULE: ./src/aws/iam-client.ts
var iam_client = __webpack_require__(5102);
// EXTERNAL MODULE: ./src/aws/errors.ts
var errors = __webpack_require__(9378);
// EXTERNAL MODULE: ./src/aws/identity.ts
var identity = __webpack_require__(6367);
// EXTERNAL MODULE: ./src/aws/accounts.ts
var accounts = __webpack_require__(2705);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-iam/dist-cjs/index.js
var dist_cjs = __webpack_require__(6764);
;// CONCATENATED MODULE: ./src/aws/remediation.ts
// Remediation's AWS half (DESIGN.md, Remediation): re-read one key live by its id alone, and
// the two writes, each on exactly the user and key it is given.
//
// What IAM answers, and what this module makes of it:
// - GetAccessKeyLastUsed({AccessKeyId}) names the owning user (UserName) and the key's last
//   use; ServiceName 'N/A' (and no LastUsedDate) means never used since IAM began tracking.
//   Its only modelled error was NoSuchEntity (404, older API reference); the current model
//   lists none beyond the common errors, and AWS documents neither what it answers for a key
//   of another account nor for the root user's key. So nothing here trusts that answer alone:
//   - NoSuchEntity (an unknown id, a deleted key) -> null;
//   - AccessDenied (missing permission, or the key is another account's and IAM evaluates the
//     call against a user there) -> AwsCallError, which the caller reports as denied, per key;
//   - a UserName is confirmed by finding the key in ListAccessKeys({UserName}) of this
//     account: a key of another account answered with a user name (moto does this: it looks
//     the id up across all of its accounts) is not there, or the user is not here -> null.
// - The root user is not an IAM user: its key comes back with no UserName, or a name that no
//   IAM user of this account owns the key under ('root', '<root_account>' as in the
//   credential report). Such a key is isRoot, and the root user's keys are never listed
//   (ListAccessKeys without UserName lists the caller's own keys): its status and creation
//   are not known here, only its last use. A real IAM user named `root` is still found as one.


const ROOT_USER_NAME = '<root_account>';
/** Names under which IAM may answer for the root user's key (none of them proves it alone). */
const ROOT_NAMES = new Set(['root', ROOT_USER_NAME]);
/** IAM's user name pattern and length: anything else cannot be passed to ListAccessKeys. */
const IAM_USER_NAME = /^[\w+=,.@-]{1,128}$/;
/** The key's metadata in the user's listing; null when the user does not exist or has no such key. */
async function findListedKey(iam, userName, accessKeyId) {
    try {
        for await (const page of (0,dist_cjs/* paginateListAccessKeys */.YQh)({ client: iam }, { UserName: userName })) {
            const key = (page.AccessKeyMetadata ?? []).find((k) => k.AccessKeyId === accessKeyId);
            if (key)
                return key;
        }
    }
    catch (err) {
        if ((0,errors/* isNoSuchEntity */.I0)(err))
            return null;
        throw new errors/* AwsCallError */.iQ('iam:ListAccessKeys', err);
    }
    return null;
}
async function lookUpKey(iam, accessKeyId) {
    let out;
    try {
        out = await iam.send(new dist_cjs/* GetAccessKeyLastUsedCommand */.qRl({ AccessKeyId: accessKeyId }));
    }
    catch (err) {
        if ((0,errors/* isNoSuchEntity */.I0)(err))
            return null;
        throw new errors/* AwsCallError */.iQ('iam:GetAccessKeyLastUsed', err);
    }
    const used = out.AccessKeyLastUsed;
    const lastUse = {
        accessKeyId,
        lastUsedAt: used?.LastUsedDate ?? null,
        lastUsedService: used?.ServiceName && used.ServiceName !== 'N/A' ? used.ServiceName : null
    };
    const userName = out.UserName ?? '';
    const maybeRoot = userName === '' || ROOT_NAMES.has(userName);
    const listed = IAM_USER_NAME.test(userName) ? await findListedKey(iam, userName, accessKeyId) : null;
    if (listed?.CreateDate) {
        return {
            ...lastUse,
            userName,
            isRoot: false,
            status: listed.Status === 'Active' ? 'Active' : 'Inactive',
            createdAt: listed.CreateDate
        };
    }
    if (maybeRoot)
        return { ...lastUse, userName: ROOT_USER_NAME, isRoot: true, status: null, createdAt: null };
    return null;
}
/**
 * UpdateAccessKey on exactly this user's key. One call: UpdateAccessKey sets a status, so the
 * SDK's own retry of an attempt that may have been applied (5xx, a cut connection) is harmless.
 */
async function setKeyStatus(iam, userName, accessKeyId, status) {
    try {
        await iam.send(new dist_cjs/* UpdateAccessKeyCommand */.SF3({ UserName: userName, AccessKeyId: accessKeyId, Status: status }));
    }
    catch (err) {
        throw new errors/* AwsCallError */.iQ('iam:UpdateAccessKey', err);
    }
}
/**
 * DeleteAccessKey on exactly this user's key. One call, but DeleteAccessKey is not idempotent:
 * when the SDK retries an attempt whose answer was lost (5xx, a cut connection) after IAM had
 * deleted the key, the retry answers NoSuchEntity. The caller has just found the key live, so
 * NoSuchEntity here means it is already deleted: that is success, not a failure to report.
 */
async function deleteKey(iam, userName, accessKeyId) {
    try {
        await iam.send(new dist_cjs/* DeleteAccessKeyCommand */.yq0({ UserName: userName, AccessKeyId: accessKeyId }));
    }
    catch (err) {
        if ((0,errors/* isNoSuchEntity */.I0)(err))
            return;
        throw new errors/* AwsCallError */.iQ('iam:DeleteAccessKey', err);
    }
}

// EXTERNAL MODULE: ./src/aws/tags.ts
var aws_tags = __webpack_require__(9580);
// EXTERNAL MODULE: ./src/core/exemptions.ts
var exemptions = __webpack_require__(5055);
// EXTERNAL MODULE: ./src/core/dates.ts
var dates = __webpack_require__(194);
// EXTERNAL MODULE: ./src/core/remediation-commands.ts
var remediation_commands = __webpack_require__(437);
// EXTERNAL MODULE: ./src/core/plural.ts
var plural = __webpack_require__(2657);
;// CONCATENATED MODULE: ./src/core/remediation-checks.ts
// The live checks before a remediation command touches a key (DESIGN.md, Remediation): the key is
// re-read from AWS just before, and acted on only when every check holds. Pure: the caller reads
// the key (with the read-only scan session) and acts on the decision.


/** The checks, in the order they are made; a refusal names the one that failed. */
const REMEDIATION_CHECKS = (/* unused pure expression or super */ null && (['exists', 'account', 'root', 'exempt', 'quiet', 'inactive-first', 'ours']));
/** `last used 2026-12-02 (s3)`, `last used 2026-12-02`, or `never used`. */
function lastUse(live) {
    if (!live.lastUsedAt)
        return 'never used';
    const day = (0,dates/* isoSeconds */.n)(live.lastUsedAt).slice(0, 10);
    return live.lastUsedService ? `last used ${day} (${live.lastUsedService})` : `last used ${day}`;
}
/** Whole UTC days since the key was last used, or null when it never was. */
function daysSinceUse(live, now) {
    return live.lastUsedAt ? (0,dates/* wholeDaysBetween */.v)(live.lastUsedAt, now) : null;
}
/**
 * Used within `quietDays` whole UTC days (used today is 0 days ago): with 7, a key used 6 days
 * ago is not quiet, one used 7 days ago is. A key never used is quiet.
 */
function usedWithin(live, quietDays, now) {
    const days = daysSinceUse(live, now);
    return days !== null && days < quietDays;
}
/** `used 1 day ago (2026-12-02, s3)`, `used today (2026-12-03)`. */
function recentUse(live, now) {
    const days = daysSinceUse(live, now);
    const when = days === 0 ? 'today' : `${(0,plural/* plural */.L)(days, 'day')} ago`;
    const day = (0,dates/* isoSeconds */.n)(live.lastUsedAt).slice(0, 10);
    return `used ${when} (${live.lastUsedService ? `${day}, ${live.lastUsedService}` : day})`;
}
/**
 * What to do with one key named in a command, from the key as AWS tells it now (null: not found
 * in the issue's account). The checks, in order: it exists; it is the issue's account's; it is not
 * the root user's (never touched); its user is not exempt; then per verb:
 * - /deactivate: an inactive key is left as it is (`unchanged`); a key used within quietDays needs `--force`;
 * - /delete: only an inactive key (deactivate it first), unused for quietDays (`--force` does not help);
 * - /reactivate: an active key is left as it is; only a key this action deactivated.
 * Every refusal says the key's last use, where the key was found.
 */
function decide(verb, options, live, issueAccountId) {
    if (!live) {
        return {
            kind: 'refused',
            check: 'exists',
            reason: `not found in account ${issueAccountId}: it is another account's key, or it was deleted`
        };
    }
    const used = lastUse(live);
    const refuse = (check, why) => ({ kind: 'refused', check, reason: `${why}; ${used}` });
    if (live.accountId !== issueAccountId) {
        return refuse('account', `belongs to account ${live.accountId}, not to this issue's account ${issueAccountId}`);
    }
    if (live.isRoot)
        return refuse('root', "the root user's keys are never touched");
    if (live.exemptReason !== null)
        return refuse('exempt', `the key is exempt (${live.exemptReason})`);
    const { force, quietDays, now } = options;
    const recent = usedWithin(live, quietDays, now);
    switch (verb) {
        case 'deactivate':
            if (live.status === 'Inactive')
                return { kind: 'unchanged', reason: `already inactive; ${used}` };
            if (recent && !force) {
                return {
                    kind: 'refused',
                    check: 'quiet',
                    reason: `${recentUse(live, now)}; add --force to deactivate it anyway (remediation-quiet-days is ${quietDays})`
                };
            }
            return { kind: 'act', verb, from: 'Active', to: 'Inactive' };
        case 'delete':
            if (live.status === 'Active')
                return refuse('inactive-first', 'the key is active: deactivate it first, and delete it once it stays unused');
            if (recent) {
                return {
                    kind: 'refused',
                    check: 'quiet',
                    reason: `${recentUse(live, now)}; a key is deleted only once unused for ${(0,plural/* plural */.L)(quietDays, 'day')} (remediation-quiet-days), --force or not`
                };
            }
            return { kind: 'act', verb, from: 'Inactive', to: 'deleted' };
        case 'reactivate':
            if (live.status === 'Active')
                return { kind: 'unchanged', reason: `already active; ${used}` };
            if (!options.deactivatedByAction) {
                return refuse('ours', "only a key this action deactivated is reactivated, and the issue's record has no such deactivation of this key");
            }
            return { kind: 'act', verb, from: 'Inactive', to: 'Active' };
    }
}

// EXTERNAL MODULE: ./src/render/issue-body.ts
var issue_body = __webpack_require__(2196);
// EXTERNAL MODULE: ./src/render/remediation-reply.ts
var remediation_reply = __webpack_require__(5476);
// EXTERNAL MODULE: ./src/sinks/tracking-issue.ts + 2 modules
var tracking_issue = __webpack_require__(2539);
;// CONCATENATED MODULE: ./src/action/remediate.ts














const ACCOUNT_MARKER = /<!--\s*iam-key-sentry:account=(\d{12})\s*-->/;
/**
 * Whether the requester may give commands (DESIGN.md, Remediation): a listed approver, or admin or
 * maintain permission on the repository. A login GitHub does not know as a collaborator (404) may not.
 */
async function permitted(octokit, repo, login, approvers) {
    if (approvers.some((a) => a.toLowerCase() === login.toLowerCase()))
        return true;
    try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
        return data.role_name === 'admin' || data.role_name === 'maintain' || data.permission === 'admin';
    }
    catch (err) {
        if (err.status === 404)
            return false;
        throw err;
    }
}
/** IAM in the issue's account: the session's own account, or through a member role there. */
async function iamIn(session, accountId, roleName, sessionName, mask) {
    const sts = (0,clients/* createStsClient */.u)(session);
    const caller = await (0,identity/* callerIdentity */.I)(sts);
    if (caller.accountId === accountId)
        return { iam: (0,iam_client.createIamClient)(session), own: true };
    const credentials = await (0,accounts/* assumeMemberRole */.Tb)(sts, (0,accounts/* partitionOf */.iQ)(caller.arn), accountId, { roleName, sessionName, durationSeconds: 900 }, mask);
    return { iam: (0,iam_client.createIamClient)({ ...session, credentials }), own: false };
}
/**
 * Obey the comment. Throws only when GitHub or AWS fail before any key was acted on (the caller
 * fails the step); a failure half-way is an outcome per key, in the reply.
 */
async function remediate(options, comment, deps, mask) {
    const { octokit, repo, log } = deps;
    const parsed = (0,remediation_commands/* parseCommands */.Gr)(comment.body);
    if (parsed.commands.length === 0 && parsed.errors.length === 0)
        return { kind: 'not-ours', why: 'the comment gives no command' };
    // Only one of this action's own tracking issues: the marker, and opened by the action's identity.
    const identity = await (0,tracking_issue/* findIdentity */.g3)(octokit, log);
    const { data: issue } = await octokit.rest.issues.get({ ...repo, issue_number: comment.issueNumber });
    // Exactly one account marker: a body edited to carry a second one names no account for sure.
    const markers = [...(issue.body ?? '').matchAll(new RegExp(ACCOUNT_MARKER.source, 'g'))].map((m) => m[1]);
    if (new Set(markers).size !== 1 || !(0,tracking_issue/* isOurs */.MU)(issue.user, identity) || issue.pull_request) {
        return { kind: 'not-ours', why: `issue #${comment.issueNumber} is not one of this action's tracking issues` };
    }
    if (issue.state !== 'open') {
        return { kind: 'not-ours', why: `issue #${comment.issueNumber} is closed: commands are obeyed on the account's open tracking issue` };
    }
    // The action's own comments, and any other bot's, are never commands.
    if (comment.author.toLowerCase() === identity.login.toLowerCase() || comment.author.endsWith('[bot]')) {
        return { kind: 'not-ours', why: `the comment is by ${comment.author}, a bot` };
    }
    const accountId = markers[0];
    if (!(issue.body ?? '').includes((0,issue_body/* issueMarker */.Q_)(accountId)))
        return { kind: 'not-ours', why: 'the marker is not ours' };
    const reply = async (body) => {
        await octokit.rest.issues.createComment({ ...repo, issue_number: comment.issueNumber, body });
    };
    if (!(await permitted(octokit, repo, comment.author, options.remediation.approvers))) {
        log.warning(`${comment.author} may not give remediation commands: nothing was done`);
        await reply((0,remediation_reply/* notPermittedReply */.ed)({ requester: comment.author, approvers: options.remediation.approvers }));
        return { kind: 'answered', accountId, outcomes: [] };
    }
    if (parsed.errors.length) {
        log.warning(`The comment's commands have ${parsed.errors.length} problem(s): nothing was done`);
        await reply((0,remediation_reply/* remediationReply */.Wf)({ requester: comment.author, accountId, outcomes: [], errors: parsed.errors, runUrl: deps.runUrl }));
        return { kind: 'answered', accountId, outcomes: [] };
    }
    // What this action deactivated itself, from the issue's record: the only keys /reactivate takes.
    const record = await (0,tracking_issue/* readIssueRecord */.v3)(octokit, repo, { number: issue.number, title: issue.title, body: issue.body ?? '', url: issue.html_url }, accountId, identity);
    const ours = new Set(record.decoded.ok ? record.decoded.state.keys.filter((k) => k.deactivatedByAction).map((k) => k.accessKeyId) : []);
    const { iam: read, own } = await iamIn(await deps.readSession(), accountId, options.memberRoleName, options.roleSessionName, mask);
    let write = null;
    const outcomes = [];
    let stopped = null;
    for (const command of parsed.commands) {
        for (const keyId of command.keyIds) {
            const base = { accessKeyId: keyId, verb: command.verb, dryRun: command.dryRun };
            if (stopped) {
                outcomes.push({ ...base, userName: null, result: 'not-attempted', before: null, after: null, lastUsedAt: null, lastUsedService: null, reason: stopped });
                continue;
            }
            try {
                const facts = await lookUpKey(read, keyId);
                const live = facts ? await liveKey(read, facts, accountId, options, deps.now) : null;
                const decision = decide(command.verb, { force: command.force, quietDays: options.remediation.quietDays, now: deps.now, deactivatedByAction: ours.has(keyId) }, live, accountId);
                const seen = {
                    userName: live?.userName ?? null,
                    createdAt: facts?.createdAt ? (0,dates/* isoSeconds */.n)(facts.createdAt) : null,
                    before: live?.status ?? null,
                    lastUsedAt: live?.lastUsedAt ? live.lastUsedAt.toISOString() : null,
                    lastUsedService: live?.lastUsedService ?? null
                };
                if (decision.kind === 'refused') {
                    outcomes.push({ ...base, ...seen, result: 'refused', after: seen.before, reason: decision.reason });
                }
                else if (decision.kind === 'unchanged') {
                    outcomes.push({ ...base, ...seen, result: 'unchanged', after: seen.before, reason: decision.reason });
                }
                else if (command.dryRun) {
                    outcomes.push({ ...base, ...seen, result: 'would', after: decision.to, reason: null });
                }
                else {
                    write ??= (await iamIn(await deps.writeSession(), accountId, options.remediation.memberRoleName, options.roleSessionName, mask)).iam;
                    await act(write, command.verb, live);
                    log.info(`${command.verb}: ${keyId} of ${live.userName} (${decision.from} -> ${decision.to}), asked by ${comment.author}`);
                    outcomes.push({ ...base, ...seen, result: 'done', after: decision.to, reason: null });
                }
            }
            catch (err) {
                // Nothing is retried against a key that may have changed: the rest are not attempted.
                const message = (0,errors/* errorMessage */.gJ)(err);
                outcomes.push({ ...base, userName: null, result: 'failed', before: null, after: null, lastUsedAt: null, lastUsedService: null, reason: message });
                stopped = `not attempted: ${keyId} failed first (${message})`;
            }
        }
    }
    const acted = outcomes.some((o) => o.result === 'done');
    let replyError = null;
    try {
        await reply((0,remediation_reply/* remediationReply */.Wf)({ requester: comment.author, accountId, outcomes, errors: [], runUrl: deps.runUrl }));
    }
    catch (err) {
        // Keys were changed: the record, the rescan, SNS and the output must still follow.
        if (!acted)
            throw err;
        replyError = `the reply could not be posted (${(0,errors/* errorMessage */.gJ)(err)})`;
    }
    return acted
        ? { kind: 'acted', accountId, outcomes, requester: comment.author, own, replyError }
        : { kind: 'answered', accountId, outcomes };
}
/** The live facts with what the checks need: the account, and whether the user is exempt now. */
async function liveKey(read, facts, accountId, options, now) {
    let exemptReason = null;
    if (!facts.isRoot) {
        const pattern = (0,exemptions/* matchingPattern */.Yn)(facts.userName, options.exemptions.userPatterns);
        if (pattern)
            exemptReason = `exempt-users ${pattern}`;
        else if (options.exemptions.tagKey) {
            const tags = await (0,aws_tags/* readUserTag */.yH)(read, [facts.userName], options.exemptions.tagKey, 1);
            const reading = (0,exemptions/* readExemptTag */.E8)(options.exemptions.tagKey, tags.get(facts.userName), now);
            if (reading.exempt)
                exemptReason = reading.reason;
        }
    }
    return {
        accessKeyId: facts.accessKeyId,
        accountId,
        userName: facts.userName,
        isRoot: facts.isRoot,
        // A root key is refused before its status matters.
        status: facts.status ?? 'Active',
        createdAt: facts.createdAt ?? new Date(0),
        lastUsedAt: facts.lastUsedAt,
        lastUsedService: facts.lastUsedService,
        exemptReason
    };
}
async function act(iam, verb, key) {
    if (verb === 'deactivate')
        await setKeyStatus(iam, key.userName, key.accessKeyId, 'Inactive');
    else if (verb === 'reactivate')
        await setKeyStatus(iam, key.userName, key.accessKeyId, 'Active');
    else
        await deleteKey(iam, key.userName, key.accessKeyId);
}


/***/ }),

/***/ 5102:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createIamClient: () => (/* binding */ createIamClient)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6764);
/* harmony import */ var _clients_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(201);
// IAM's client, apart from aws/clients.ts: IAM's SDK package is the costliest module to load at
// start-up (it defines every IAM operation's schema), and a run's first call is STS's. It is
// imported with the scan (scan/accounts.ts), which loads it while that first call is on the wire.


function createIamClient(config) {
    return new _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .IAMClient */ .h8v((0,_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .clientOptions */ .s)(config));
}


/***/ }),

/***/ 9580:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   fn: () => (/* binding */ readTagsOf),
/* harmony export */   yH: () => (/* binding */ readUserTag)
/* harmony export */ });
/* unused harmony exports BULK_PAGE_USERS, BULK_CROSSOVER_PER_PAGE, bulkTagReadPays, readAllUserTags, readUserTags */
/* harmony import */ var _aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6764);
/* harmony import */ var _core_concurrency_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8637);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9378);



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
        for await (const page of (0,_aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .paginateListUserTags */ .Ofk)({ client: iam }, { UserName: userName })) {
            pick(page.Tags ?? [], wanted, found);
            if (found.size === wanted.size)
                break;
        }
    }
    catch (err) {
        if (!(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isNoSuchEntity */ .I0)(err))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AwsCallError */ .iQ('iam:ListUserTags', err);
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
        const pages = (0,_aws_sdk_client_iam__WEBPACK_IMPORTED_MODULE_1__/* .paginateGetAccountAuthorizationDetails */ .YS4)({ client: iam, pageSize: BULK_PAGE_USERS }, { Filter: ['User'] });
        for await (const page of pages) {
            // Checked before the next page is asked for.
            stop?.throwIfAborted();
            for (const user of page.UserDetailList ?? [])
                if (user.UserName && needed.has(user.UserName))
                    tags.set(user.UserName, pick(user.Tags ?? [], wanted));
        }
    }
    catch (err) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .AwsCallError */ .iQ('iam:GetAccountAuthorizationDetails', err);
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
            result.bulkFailed = (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err);
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
            if (!(0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .isAccessDenied */ .w7)(err))
                throw err;
            result.denied ??= (0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorMessage */ .gJ)(err);
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
    const values = await (0,_core_concurrency_js__WEBPACK_IMPORTED_MODULE_2__/* .mapLimit */ .s)(userNames, concurrency, async (userName) => [userName, await listUserTags(iam, userName, wanted)]);
    return new Map(values);
}


/***/ })

};
