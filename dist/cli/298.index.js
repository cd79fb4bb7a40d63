export const id = 298;
export const ids = [298];
export const modules = {

/***/ 3298:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createOrganizationsClient: () => (/* binding */ createOrganizationsClient),
/* harmony export */   listOrganizationAccounts: () => (/* binding */ listOrganizationAccounts)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_organizations__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2503);
/* harmony import */ var _core_plural_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2657);
/* harmony import */ var _clients_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(435);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9378);
// The ACTIVE accounts of the AWS Organization (accounts: organization). Loaded on demand by
// aws/accounts.ts, so that only the runs that list an organization load its SDK client.




function createOrganizationsClient(config) {
    // A global service: the SDK's endpoint rules send every region of a partition to its one endpoint.
    return new _aws_sdk_client_organizations__WEBPACK_IMPORTED_MODULE_2__/* .OrganizationsClient */ .gnq((0,_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .clientOptions */ .s)(config));
}
/**
 * Every ACTIVE account of the organization, with its name (paged). None is an error: a scan
 * of nothing must not pass as a clean organization.
 */
async function listOrganizationAccounts(org) {
    const accounts = [];
    const states = [];
    try {
        for await (const page of (0,_aws_sdk_client_organizations__WEBPACK_IMPORTED_MODULE_2__/* .paginateListAccounts */ .A53)({ client: org }, {})) {
            for (const a of page.Accounts ?? []) {
                // `State` replaces the deprecated `Status`; either says whether the account is usable.
                const state = a.State ?? a.Status ?? 'without a state';
                states.push(state);
                if (a.Id && state === 'ACTIVE')
                    accounts.push({ id: a.Id, name: a.Name ?? null });
            }
        }
    }
    catch (err) {
        if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorName */ .Is)(err) === 'AWSOrganizationsNotInUseException') {
            throw new Error('accounts is "organization", but the caller\'s account is not in an AWS Organization');
        }
        const hint = ' (call it from the management account or a delegated administrator account)';
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AwsCallError */ .iQ(`organizations:ListAccounts${hint}`, err);
    }
    if (accounts.length === 0)
        throw new Error(noActiveAccount(states));
    return accounts;
}
/** Why nothing can be scanned: what ListAccounts did show, counted by state. */
function noActiveAccount(states) {
    const counts = new Map();
    for (const s of states)
        counts.set(s, (counts.get(s) ?? 0) + 1);
    const listed = states.length
        ? `it listed ${(0,_core_plural_js__WEBPACK_IMPORTED_MODULE_3__/* .plural */ .L)(states.length, 'account')}, none ACTIVE: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`
        : 'it listed no account at all';
    return `accounts is "organization", but organizations:ListAccounts shows the caller no ACTIVE account to scan (${listed})`;
}


/***/ })

};
