export const id = 88;
export const ids = [88];
export const modules = {

/***/ 2088:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  SESSION_MARGIN_MS: () => (/* binding */ SESSION_MARGIN_MS),
  syncSecurityHub: () => (/* binding */ syncSecurityHub)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-securityhub/dist-cjs/index.js
var dist_cjs = __webpack_require__(6200);
// EXTERNAL MODULE: ./src/aws/clients.ts
var clients = __webpack_require__(201);
;// CONCATENATED MODULE: ./src/aws/security-hub-client.ts
// Security Hub's client, apart from aws/clients.ts: its SDK package is the biggest in the bundle
// (500 KiB), loaded only with the Security Hub sink (main.ts imports that sink on demand).


function createSecurityHubClient(config) {
    return new dist_cjs/* SecurityHubClient */.xku((0,clients/* clientOptions */.s)(config));
}

// EXTERNAL MODULE: ./src/aws/errors.ts
var aws_errors = __webpack_require__(9378);
// EXTERNAL MODULE: ./src/core/controls.ts
var core_controls = __webpack_require__(8833);
// EXTERNAL MODULE: ./src/core/policy.ts
var policy = __webpack_require__(2721);
// EXTERNAL MODULE: ./src/core/plural.ts
var plural = __webpack_require__(2657);
// EXTERNAL MODULE: ./src/render/text.ts
var render_text = __webpack_require__(893);
;// CONCATENATED MODULE: ./src/render/asff.ts
// Findings as AWS Security Finding Format (ASFF) for Security Hub's BatchImportFindings (DESIGN.md,
// Security Hub). Pure: the shape is declared here (render/ imports no AWS SDK) and a unit test
// holds it to the SDK's AwsSecurityFinding (__tests__/unit/render/asff.test.ts).




/** Every finding this action imports has a generator id that starts so: what it reads back and archives. */
const GENERATOR_PREFIX = 'iam-key-sentry/';
const ASFF_SCHEMA_VERSION = '2018-10-08';
/** Security Hub's limits (the API reference): longer text is refused with the whole batch's finding. */
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 1024;
const CIS_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';
const BEST_PRACTICE_TYPE = 'Software and Configuration Checks/AWS Security Best Practices';
/**
 * UserDefinedFields key that remembers whether the finding's workflow was last set by this
 * action for an exempt key ('true') or not ('false'): what tells a change of exemption (workflow
 * to set) from a workflow a person set in the console (left alone). It is written only together
 * with the workflow (by the import that creates the finding, then by the BatchUpdateFindings
 * call that sets the workflow), so an update that fails leaves the old mark, and the next run
 * sees the change again and retries it.
 */
const EXEMPT_FIELD = 'iam-key-sentry/exempt';
/** `arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default`: the account's own product, for custom findings. */
function productArn(t) {
    return `arn:${t.partition}:securityhub:${t.region}:${t.accountId}:product/${t.accountId}/default`;
}
/**
 * One id per key, whatever its kind: a key that moves from expiring to stale updates its one
 * finding. The root user's keys have no id in the credential report: its creation time tells
 * them apart (the root user has at most two keys).
 */
function asffId(f) {
    return `${GENERATOR_PREFIX}${f.accountId}/${f.accessKeyId ?? `root@${f.createdAt}`}`;
}
const LABEL = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW' };
/** Text from AWS is data: one line, no control characters, and never longer than `max`. */
function asff_text(value, max) {
    return (0,render_text/* cut */.Jj)(value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim(), max);
}
const isCis = (control) => (0,core_controls/* cisRecommendation */.b$)(control) !== null;
/** The controls as Security Hub requirements (CIS ones with their benchmark version), each once, at most 32 (the API's limit). */
function requirementsOf(controls) {
    return [...new Set(controls.map(core_controls/* requirementOf */.h2))].slice(0, 32);
}
const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov']);
function partitionOf(t) {
    return PARTITIONS.has(t.partition) ? t.partition : undefined;
}
const WHAT = {
    'root-key': (f) => `The root user has an ${f.status === 'Active' ? 'active' : 'inactive'} access key`,
    stale: () => 'Access key not rotated',
    unused: () => 'Access key unused',
    'setup-key': () => 'Access key created with the user and never used',
    'two-active-keys': () => 'User has two active access keys',
    expiring: () => 'Access key due for rotation soon',
    inactive: () => 'Inactive access key to delete'
};
function titleOf(f) {
    const what = (WHAT[f.kind] ?? (() => `Access key finding: ${f.kind}`))(f);
    return asff_text((0,policy/* isRootFinding */.qt)(f) ? `${what} (${f.ageDays} days old)` : `${what}: ${f.userName} (${f.ageDays} days old)`, TITLE_MAX);
}
/** Age and last use, in words. `lastUseKnown` false: the listing did not ask (no max-unused-days). */
function descriptionOf(f, lastUseKnown) {
    const lastUse = f.lastUsedAt
        ? `last used ${(0,render_text/* day */.vd)(f.lastUsedAt)}${f.lastUsedService ? ` (${f.lastUsedService})` : ''}`
        : lastUseKnown
            ? 'never used'
            : 'last use not looked up';
    const who = (0,policy/* isRootFinding */.qt)(f) ? 'the root user' : `IAM user ${f.userName}`;
    const parts = [
        `${f.status} access key ${f.accessKeyId ?? '(no id: a root key in the credential report)'} of ${who} in account ${f.accountId}`,
        `created ${(0,render_text/* day */.vd)(f.createdAt)}, ${(0,plural/* plural */.L)(f.ageDays, 'day')} old, ${lastUse}.`
    ];
    const exempt = f.exempt ? ` Exempt: ${f.exemptReason ?? 'yes'}.` : '';
    const controls = (f.controls ?? []).length ? ` Controls: ${(f.controls ?? []).join(', ')}.` : '';
    return asff_text(`${parts.join(', ')} Found by IAM Key Sentry (${f.kind}).${exempt}${controls}`, DESCRIPTION_MAX);
}
function resourceOf(f, t) {
    return {
        Type: 'AwsIamAccessKey',
        // The key id; a root key the credential report gives no id for: the root user's ARN.
        Id: f.accessKeyId ?? f.userArn,
        ...(partitionOf(t) ? { Partition: partitionOf(t) } : {}),
        Region: t.region,
        Details: {
            AwsIamAccessKey: {
                PrincipalName: f.userName,
                PrincipalType: (0,policy/* isRootFinding */.qt)(f) ? 'Root' : 'IAMUser',
                Status: f.status,
                CreatedAt: f.createdAt,
                ...(f.accessKeyId ? { AccessKeyId: f.accessKeyId } : {}),
                AccountId: f.accountId
            }
        }
    };
}
/** `2026-11-24` (a lifecycle day) as an ASFF timestamp. */
function dayStart(value) {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
}
/** This run's finding for one key, in its account's Security Hub. */
function toAsff(f, t, o) {
    const now = o.now.toISOString();
    const controls = f.controls ?? [];
    const firstObserved = f.firstSeenAt ? dayStart(f.firstSeenAt) : o.previous?.FirstObservedAt;
    const severity = { Label: LABEL[f.severity] };
    const types = [controls.some(isCis) ? CIS_TYPE : BEST_PRACTICE_TYPE];
    return {
        SchemaVersion: ASFF_SCHEMA_VERSION,
        Id: asffId(f),
        ProductArn: productArn(t),
        GeneratorId: `${GENERATOR_PREFIX}${f.kind}`,
        AwsAccountId: f.accountId,
        Types: types,
        CreatedAt: o.previous?.CreatedAt ?? now,
        UpdatedAt: now,
        ...(firstObserved ? { FirstObservedAt: firstObserved } : {}),
        Severity: severity,
        FindingProviderFields: { Severity: { ...severity }, Types: [...types] },
        Title: titleOf(f),
        Description: descriptionOf(f, o.lastUseKnown ?? true),
        Resources: [resourceOf(f, t)],
        Compliance: { Status: 'FAILED', ...(controls.length ? { RelatedRequirements: requirementsOf(controls) } : {}) },
        // Honoured only when the finding is created (then both in the one write); an existing
        // finding's workflow and user-defined fields are the customer's.
        ...(o.previous
            ? {}
            : { Workflow: { Status: f.exempt ? 'SUPPRESSED' : 'NEW' }, UserDefinedFields: { [EXEMPT_FIELD]: String(f.exempt) } }),
        RecordState: 'ACTIVE'
    };
}
/**
 * A finding imported earlier whose key has no finding today (deleted, rotated, fixed): the same
 * id, PASSED and ARCHIVED. Security Hub moves a PASSED finding's workflow to RESOLVED itself.
 */
function archivedAsff(previous, now) {
    const types = previous.Types?.length ? previous.Types : [BEST_PRACTICE_TYPE];
    const requirements = requirementsOf(previous.Compliance?.RelatedRequirements ?? []);
    const kept = {
        SchemaVersion: previous.SchemaVersion || ASFF_SCHEMA_VERSION,
        Id: previous.Id,
        ProductArn: previous.ProductArn,
        GeneratorId: previous.GeneratorId,
        AwsAccountId: previous.AwsAccountId,
        Types: types,
        CreatedAt: previous.CreatedAt,
        UpdatedAt: now.toISOString(),
        ...(previous.FirstObservedAt ? { FirstObservedAt: previous.FirstObservedAt } : {}),
        Severity: { Label: 'INFORMATIONAL' },
        FindingProviderFields: { Severity: { Label: 'INFORMATIONAL' }, Types: [...types] },
        Title: previous.Title,
        Description: asff_text(`Resolved: no longer found by IAM Key Sentry. ${previous.Description}`, DESCRIPTION_MAX),
        Resources: previous.Resources,
        Compliance: {
            Status: 'PASSED',
            ...(requirements.length ? { RelatedRequirements: requirements } : {})
        },
        RecordState: 'ARCHIVED'
    };
    return kept;
}

;// CONCATENATED MODULE: ./src/aws/security-hub.ts
// Security Hub reads and writes (DESIGN.md, Security Hub): findings imported 100 per
// BatchImportFindings call, workflow statuses and the exemption mark set 100 per
// BatchUpdateFindings call (the only way to change an existing finding's workflow), and the
// findings this action imported earlier, read back with GetFindings. Filters are sent, and what
// comes back is filtered again here: moto ignores them, and a finding of another product or
// generator must never be archived by this action.



/** Security Hub's limit per BatchImportFindings call. */
const IMPORT_BATCH = 100;
/** Security Hub's limit per BatchUpdateFindings call. */
const UPDATE_BATCH = 100;
/** GetFindings pages at most this many: a runaway NextToken stops here (10,000 findings). */
const MAX_PAGES = 100;
/**
 * Security Hub not enabled in the account and region: InvalidAccessException ("Account … is not
 * subscribed to AWS Security Hub"). Said plainly, with what to do.
 */
class SecurityHubCallError extends aws_errors/* AwsCallError */.iQ {
    constructor(permission, cause, where) {
        super(permission, cause);
        if ((0,aws_errors/* errorName */.Is)(cause) === 'InvalidAccessException') {
            this.message =
                `Security Hub is not enabled in account ${where.accountId} region ${where.region} ` +
                    `(${permission}: ${(0,aws_errors/* redactKeyIds */.rO)(`${(0,aws_errors/* errorName */.Is)(cause)}: ${(0,aws_errors/* errorMessage */.gJ)(cause)}`)}). ` +
                    'Enable Security Hub there, or set security-hub: false.';
        }
    }
}
/**
 * A BatchImportFindings call failed after earlier batches went in. `sent` is how many of the
 * findings, from the start of the list, were in the batches that went through, and `failed` the
 * ones among them Security Hub refused: the caller, who knows what the list holds (findings to
 * import, findings to archive), says what Security Hub holds now.
 */
class ImportInterruptedError extends SecurityHubCallError {
    sent;
    failed;
    calls;
    constructor(cause, where, sent, failed, calls) {
        super('securityhub:BatchImportFindings', cause, where);
        this.sent = sent;
        this.failed = failed;
        this.calls = calls;
    }
}
/** The findings, 100 per call; a finding Security Hub refused is kept with its error, the others still go in. */
async function importFindings(client, findings, where) {
    const result = { imported: 0, failed: [], calls: 0 };
    for (let i = 0; i < findings.length; i += IMPORT_BATCH) {
        const batch = findings.slice(i, i + IMPORT_BATCH);
        let out;
        try {
            result.calls++;
            // The local shape is a subset of the SDK's (a unit test holds it to it).
            out = await client.send(new dist_cjs/* BatchImportFindingsCommand */.blM({ Findings: batch }));
        }
        catch (err) {
            if (i === 0)
                throw new SecurityHubCallError('securityhub:BatchImportFindings', err, where);
            throw new ImportInterruptedError(err, where, i, result.failed, result.calls);
        }
        const failed = (out.FailedFindings ?? []).map((f) => ({
            id: f.Id ?? '(no id)',
            error: (0,aws_errors/* redactKeyIds */.rO)(`${f.ErrorCode ?? 'Error'}: ${f.ErrorMessage ?? 'no message'}`)
        }));
        result.failed.push(...failed);
        result.imported += out.SuccessCount ?? batch.length - failed.length;
    }
    return result;
}
/** What one call can carry: one mark, with its workflow or without. */
const UPDATE_GROUPS = [
    { setWorkflow: true, exempt: true },
    { setWorkflow: true, exempt: false },
    { setWorkflow: false, exempt: true },
    { setWorkflow: false, exempt: false }
];
/**
 * Each finding's workflow status and exemption mark, with BatchUpdateFindings: both in the same
 * call, so the mark never says a workflow was set that was not. One status and mark per call,
 * 100 findings per call: calls grow with the findings that change. Security Hub applies them
 * asynchronously.
 */
async function updateWorkflow(client, updates, where) {
    const result = { updated: 0, unprocessed: [], calls: 0 };
    for (const group of UPDATE_GROUPS) {
        const ids = updates.filter((u) => u.setWorkflow === group.setWorkflow && u.exempt === group.exempt).map((u) => ({ Id: u.id, ProductArn: u.productArn }));
        for (let i = 0; i < ids.length; i += UPDATE_BATCH) {
            const batch = ids.slice(i, i + UPDATE_BATCH);
            let out;
            try {
                result.calls++;
                out = await client.send(new dist_cjs/* BatchUpdateFindingsCommand */.zlU({
                    FindingIdentifiers: batch,
                    ...(group.setWorkflow ? { Workflow: { Status: group.exempt ? 'SUPPRESSED' : 'NEW' } } : {}),
                    UserDefinedFields: { [EXEMPT_FIELD]: String(group.exempt) }
                }));
            }
            catch (err) {
                throw new SecurityHubCallError('securityhub:BatchUpdateFindings', err, where);
            }
            const unprocessed = (out.UnprocessedFindings ?? []).map((u) => ({
                id: u.FindingIdentifier?.Id ?? '(no id)',
                error: (0,aws_errors/* redactKeyIds */.rO)(`${u.ErrorCode ?? 'Error'}: ${u.ErrorMessage ?? 'no message'}`)
            }));
            result.unprocessed.push(...unprocessed);
            result.updated += out.ProcessedFindings?.length ?? batch.length - unprocessed.length;
        }
    }
    return result;
}
/** A finding as read back, when it is one this action imported for this product and still active. */
function ours(f, productArn) {
    return (f.ProductArn === productArn &&
        typeof f.GeneratorId === 'string' &&
        f.GeneratorId.startsWith(GENERATOR_PREFIX) &&
        typeof f.Id === 'string' &&
        f.Id.startsWith(GENERATOR_PREFIX) &&
        (f.RecordState ?? 'ACTIVE') === 'ACTIVE' &&
        typeof f.CreatedAt === 'string' &&
        Array.isArray(f.Resources) &&
        f.Resources.length > 0);
}
/**
 * The active findings this action imported earlier into the product: GetFindings filtered by
 * product ARN, generator id prefix and record state, paged, and filtered again here.
 */
async function previousFindings(client, productArn, where) {
    const found = new Map();
    let token;
    for (let page = 0; page < MAX_PAGES; page++) {
        let out;
        try {
            out = await client.send(new dist_cjs/* GetFindingsCommand */.OXC({
                Filters: {
                    ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
                    GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
                    RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }]
                },
                MaxResults: 100,
                NextToken: token
            }));
        }
        catch (err) {
            throw new SecurityHubCallError('securityhub:GetFindings', err, where);
        }
        for (const f of out.Findings ?? [])
            if (ours(f, productArn))
                found.set(f.Id, pick(f));
        if (!out.NextToken || out.NextToken === token)
            return { findings: [...found.values()], complete: true };
        token = out.NextToken;
    }
    return { findings: [...found.values()], complete: false };
}
const WORKFLOW_STATUSES = new Set(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']);
/** The members this action wrote; what Security Hub added (ProductName, ProcessedAt, …) is left out. */
function pick(f) {
    return {
        SchemaVersion: f.SchemaVersion,
        Id: f.Id,
        ProductArn: f.ProductArn,
        GeneratorId: f.GeneratorId,
        AwsAccountId: f.AwsAccountId,
        Types: f.Types ?? [],
        CreatedAt: f.CreatedAt,
        UpdatedAt: f.UpdatedAt,
        ...(f.FirstObservedAt ? { FirstObservedAt: f.FirstObservedAt } : {}),
        Severity: { Label: f.Severity?.Label ?? 'INFORMATIONAL' },
        Title: f.Title,
        Description: f.Description,
        Resources: f.Resources,
        Compliance: {
            Status: f.Compliance?.Status === 'PASSED' ? 'PASSED' : 'FAILED',
            ...(f.Compliance?.RelatedRequirements?.length ? { RelatedRequirements: f.Compliance.RelatedRequirements } : {})
        },
        // Read, not written back: whether the exemption changed since the workflow was last set by
        // this action (the sink compares), and the workflow as it is now, perhaps set by a person.
        ...(typeof f.UserDefinedFields?.[EXEMPT_FIELD] === 'string' ? { UserDefinedFields: { [EXEMPT_FIELD]: f.UserDefinedFields[EXEMPT_FIELD] } } : {}),
        ...(f.Workflow?.Status && WORKFLOW_STATUSES.has(f.Workflow.Status) ? { Workflow: { Status: f.Workflow.Status } } : {}),
        RecordState: 'ACTIVE'
    };
}

// EXTERNAL MODULE: ./src/core/concurrency.ts + 2 modules
var concurrency = __webpack_require__(8637);
;// CONCATENATED MODULE: ./src/sinks/security-hub.ts






/** At most this many refused findings are named in a problem; the log has them all. */
const NAMED_FAILURES = 5;
/** A session that ends sooner than this is renewed before the account's calls. */
const SESSION_MARGIN_MS = 5 * 60_000;
/** When the session's static credentials end; null when unknown or renewed by the SDK (a provider). */
function expiration(config) {
    const c = config.credentials;
    if (!c || typeof c === 'function')
        return null;
    return c.expiration ?? null;
}
/**
 * The updates to make, for findings read back only: a finding not read back is either new (the
 * import that creates it sets its workflow and mark) or one this run could not see (GetFindings
 * denied or cut), whose workflow may be a person's. Read back, the mark (written with the
 * workflow) says whether the exemption changed since this action last set the workflow: then the
 * workflow is set again, with the new mark. A finding with no mark was imported before the mark
 * existed: its workflow is taken for the person's and left alone, and only the mark is recorded,
 * so that later changes are seen. A changed exemption leaves alone nothing a person did since
 * the last change; an unchanged one leaves the workflow as people in the console set it.
 */
function workflowUpdates(findings, current, before, refused) {
    return findings.flatMap((f, i) => {
        const asff = current[i];
        const earlier = before.get(asff.Id);
        if (!earlier || refused.has(asff.Id))
            return [];
        const mark = earlier.UserDefinedFields?.[EXEMPT_FIELD];
        if (mark === String(f.exempt))
            return [];
        return [{ id: asff.Id, productArn: asff.ProductArn, exempt: f.exempt, setWorkflow: mark !== undefined }];
    });
}
/**
 * After an import that stopped part-way: what went in, by position in the list sent (this run's
 * findings first, then the ones archived), less what Security Hub refused.
 */
function interrupted(err, current, gone) {
    const refused = new Set(err.failed.map((f) => f.id));
    const imported = current.slice(0, err.sent).filter((c) => !refused.has(c.Id)).length;
    const archived = gone.slice(0, Math.max(0, err.sent - current.length)).filter((g) => !refused.has(g.Id)).length;
    const said = `Before this failure, ${imported} of ${(0,plural/* plural */.L)(current.length, 'finding')} had been imported and ${archived} of ${gone.length} archived, ` +
        `in ${(0,plural/* plural */.L)(err.calls - 1, 'earlier call')}.`;
    return { imported, archived, failed: err.failed, said };
}
function emptyOutcome(accountId) {
    return { accountId, imported: 0, archived: 0, failed: [], workflowUpdated: 0, workflowFailed: [], error: null };
}
/** One pass over the account with one session; `expired` says the session's token was refused. */
async function syncOnce(account, config, o) {
    const outcome = emptyOutcome(account.accountId);
    const where = { accountId: account.accountId, region: o.region };
    const client = (o.clientFor ?? createSecurityHubClient)({ ...config, region: o.region });
    const target = { partition: account.partition, region: o.region, accountId: account.accountId };
    const product = productArn(target);
    const errors = [];
    let expired = false;
    /** What an import that stopped part-way had done: said after its error. */
    let partial = '';
    try {
        let previous = [];
        try {
            const read = await previousFindings(client, product, where);
            previous = read.findings;
            if (!read.complete) {
                // What was not read is never taken for fixed: only the findings read can be archived.
                o.log.warning(`Account ${account.accountId}: GetFindings stopped after ${MAX_PAGES} pages (${(0,plural/* plural */.L)(previous.length, 'finding')} read); ` +
                    'the findings of fixed keys among those not read were not archived, and exemption changes among them may be missed');
            }
        }
        catch (err) {
            // Not enabled, or the session expired: importing would fail the same way. Otherwise
            // (GetFindings denied) this run's findings still go in; only the archiving of fixed keys
            // is missed, and said.
            const cause = err.cause;
            if ((0,aws_errors/* errorName */.Is)(cause) === 'InvalidAccessException' || (0,aws_errors/* isExpiredToken */.r_)(err))
                throw err;
            errors.push(`${(0,aws_errors/* errorMessage */.gJ)(err)} Fixed keys' findings were not archived.`);
        }
        const before = new Map(previous.map((p) => [p.Id, p]));
        const current = account.findings.map((f) => {
            const asff = toAsff(f, target, { now: o.now, lastUseKnown: account.lastUseKnown });
            const earlier = before.get(asff.Id);
            return earlier ? toAsff(f, target, { now: o.now, lastUseKnown: account.lastUseKnown, previous: earlier }) : asff;
        });
        const ids = new Set(current.map((c) => c.Id));
        const unseen = new Set((account.unseen ?? []).map((kind) => `${GENERATOR_PREFIX}${kind}`));
        const gone = previous.filter((p) => !ids.has(p.Id) && !unseen.has(p.GeneratorId)).map((p) => archivedAsff(p, o.now));
        if (current.length + gone.length === 0) {
            o.log.info(`Account ${account.accountId}: no findings to import, none to archive`);
            outcome.error = errors.length ? errors.join(' ') : null;
            return { outcome, expired };
        }
        let result;
        try {
            result = await importFindings(client, [...current, ...gone], where);
        }
        catch (err) {
            if (!(err instanceof ImportInterruptedError))
                throw err;
            const { said, ...counts } = interrupted(err, current, gone);
            Object.assign(outcome, counts);
            for (const f of counts.failed)
                o.log.warning(`Account ${account.accountId}: Security Hub refused ${f.id}: ${f.error}`);
            partial = ` ${said}`;
            throw err;
        }
        const failed = new Set(result.failed.map((f) => f.id));
        outcome.failed = result.failed;
        outcome.archived = gone.filter((g) => !failed.has(g.Id)).length;
        outcome.imported = current.filter((c) => !failed.has(c.Id)).length;
        o.log.info(`Account ${account.accountId}: imported ${(0,plural/* plural */.L)(outcome.imported, 'finding')}, archived ${outcome.archived} ` +
            `into ${product} (${(0,plural/* plural */.L)(result.calls, 'BatchImportFindings call')})`);
        for (const f of result.failed)
            o.log.warning(`Account ${account.accountId}: Security Hub refused ${f.id}: ${f.error}`);
        const updates = workflowUpdates(account.findings, current, before, failed);
        if (updates.length) {
            const workflow = await updateWorkflow(client, updates, where);
            outcome.workflowUpdated = workflow.updated;
            outcome.workflowFailed = workflow.unprocessed;
            const set = updates.filter((u) => u.setWorkflow);
            const suppressed = set.filter((u) => u.exempt).length;
            o.log.info(`Account ${account.accountId}: workflow set for ${(0,plural/* plural */.L)(set.length, 'finding')} whose exemption changed ` +
                `(${suppressed} SUPPRESSED, ${set.length - suppressed} NEW), exemption recorded for ${updates.length - set.length} imported before it was ` +
                `(${(0,plural/* plural */.L)(workflow.calls, 'BatchUpdateFindings call')})`);
            for (const f of workflow.unprocessed)
                o.log.warning(`Account ${account.accountId}: BatchUpdateFindings did not update ${f.id}: ${f.error}`);
        }
    }
    catch (err) {
        expired = (0,aws_errors/* isExpiredToken */.r_)(err);
        const message = (0,aws_errors/* errorMessage */.gJ)(err);
        errors.push(partial ? `${message}${message.endsWith('.') ? '' : '.'}${partial}` : message);
    }
    outcome.error = errors.length ? errors.join(' ') : null;
    return { outcome, expired };
}
/**
 * One account: renewed first when its session ends within SESSION_MARGIN_MS, and once more, then
 * retried, when a call says its token expired. A retry imports the same ids again: harmless; it
 * reads the findings back again, so a workflow update the first pass did not make is seen again
 * (its mark was not written) and made. Only one renewal is tried: the first that fails is said.
 */
async function syncAccount(account, o) {
    let config = account.config;
    let renewal = 'not tried';
    const renew = async (why) => {
        if (!account.refresh)
            return 'no new session can be had';
        if (renewal !== 'not tried')
            return renewal === 'done' ? 'the session renewed once already expired too' : renewal;
        o.log.info(`Account ${account.accountId}: ${why}; assuming the member role again for Security Hub`);
        try {
            config = await account.refresh();
            renewal = 'done';
            return null;
        }
        catch (err) {
            renewal = `could not renew the account's session (${(0,aws_errors/* errorMessage */.gJ)(err)})`;
            return renewal;
        }
    };
    const ends = expiration(config);
    const now = (o.clock ?? (() => new Date()))();
    if (account.refresh && ends && ends.getTime() - now.getTime() < SESSION_MARGIN_MS) {
        const failure = await renew(`its session ends at ${ends.toISOString()}`);
        // The old session still works until it ends: the account's calls may well fit in it.
        if (failure && ends.getTime() <= now.getTime())
            return { ...emptyOutcome(account.accountId), error: `${failure}; nothing was imported.` };
        if (failure)
            o.log.warning(`Account ${account.accountId}: ${failure}; going on with its session, which ends at ${ends.toISOString()}`);
    }
    const first = await syncOnce(account, config, o);
    if (!first.expired || !account.refresh)
        return first.outcome;
    const failure = await renew('its session expired');
    if (failure)
        return { ...first.outcome, error: `${first.outcome.error} And ${failure}.` };
    return (await syncOnce(account, config, o)).outcome;
}
function refusedLine(accountId, failed, what) {
    const named = failed.slice(0, NAMED_FAILURES).map((f) => `${f.id} (${f.error})`);
    const more = failed.length > NAMED_FAILURES ? `, and ${failed.length - NAMED_FAILURES} more` : '';
    return `Security Hub, account ${accountId}: ${(0,plural/* plural */.L)(failed.length, 'finding')} ${what}: ${named.join('; ')}${more}`;
}
/** Every account's findings into its Security Hub; one problem line per account that failed. */
async function syncSecurityHub(accounts, o) {
    const outcomes = await (0,concurrency/* mapLimit */.s)(accounts, o.maxConcurrency, (a) => syncAccount(a, o));
    const problems = outcomes.flatMap((out) => {
        const lines = [];
        if (out.error)
            lines.push(`Security Hub, account ${out.accountId}: ${out.error}`);
        if (out.failed.length)
            lines.push(refusedLine(out.accountId, out.failed, 'refused by BatchImportFindings'));
        if (out.workflowFailed.length)
            lines.push(refusedLine(out.accountId, out.workflowFailed, 'not updated by BatchUpdateFindings (workflow status)'));
        return lines;
    });
    return { outcomes, problems };
}


/***/ })

};
