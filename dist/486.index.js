export const id = 486;
export const ids = [486];
export const modules = {

/***/ 9486:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   parseOwnersFile: () => (/* binding */ parseOwnersFile)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _owners_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(255);
// The owners file (DESIGN.md, Owners v2): its YAML parsed into rules, every problem at once. Apart
// from core/owners.ts because of the YAML parser: action/owners-file.ts imports this module only
// when the repository has an owners file, so that the other runs do not load the parser.


const KEYS = ['users', 'accounts', 'owners'];
function fail(ctx, line, text) {
    ctx.errors.push({ line, text: `${ctx.fileName} line ${line}: ${text}` });
}
function lineOf(ctx, node, fallback) {
    return node?.range ? ctx.lines.linePos(node.range[0]).line : fallback;
}
function resolved(ctx, node) {
    return (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isAlias */ .Vj)(node) ? node.resolve(ctx.doc) : node;
}
/** What a value is, in words, for a message. */
function whatIs(ctx, node) {
    const n = resolved(ctx, node);
    if (n === null || n === undefined)
        return 'empty';
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(n))
        return 'a list';
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(n))
        return 'a mapping';
    if ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(n)) {
        if (n.value === null)
            return 'empty';
        if (typeof n.value === 'string')
            return `the text ${(0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(n.value)}`;
        return `${typeof n.value === 'number' ? 'the number' : 'the value'} ${(0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(String(n.value))}`;
    }
    return 'not a value';
}
/**
 * A scalar as the text its author meant: strings as they are, and an unquoted number as it
 * was written, so an account id `012345678901` keeps its leading zero. Null for anything else.
 */
function scalarText(ctx, node) {
    const n = resolved(ctx, node);
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(n))
        return null;
    if (typeof n.value === 'string')
        return n.value;
    if (typeof n.value === 'number' && n.range)
        return ctx.text.slice(n.range[0], n.range[1]).trim();
    return null;
}
/**
 * A list of texts (a single scalar counts as a list of one). Errors say which item is wrong;
 * null when the value is not usable at all.
 */
function textList(ctx, node, key, what, line) {
    const n = resolved(ctx, node);
    const at = lineOf(ctx, n, line);
    const single = scalarText(ctx, n);
    if (single !== null) {
        if (single.trim() === '') {
            fail(ctx, at, `"${key}" must be a list of ${what}, not empty text`);
            return null;
        }
        return [{ text: single.trim(), line: at }];
    }
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(n) || n.items.length === 0) {
        const is = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(n) ? 'an empty list' : whatIs(ctx, n);
        fail(ctx, at, `"${key}" must be a list of ${what}, not ${is}`);
        return null;
    }
    const items = [];
    let ok = true;
    n.items.forEach((item, i) => {
        const text = scalarText(ctx, item);
        const itemLine = lineOf(ctx, resolved(ctx, item), at);
        if (text === null || text.trim() === '') {
            const is = text === null ? whatIs(ctx, item) : 'empty text';
            fail(ctx, itemLine, `"${key}" must be a list of ${what}; item ${i + 1} is ${is}`);
            ok = false;
        }
        else
            items.push({ text: text.trim(), line: itemLine });
    });
    return ok ? items : null;
}
// What an IAM user name is made of; the rest of a glob's characters are its syntax.
const IAM_NAME_CHAR = /[A-Za-z0-9+=,.@_-]/;
const GLOB_SYNTAX = /[*?[\]{}!^|()]/;
/**
 * Whether a glob could match some IAM user name: every character it needs literally must be one
 * IAM allows (`svc billing*`, `team/svc` never match). `<root>` names the root user.
 */
function canMatchIamName(glob) {
    if (glob.toLowerCase() === _owners_js__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_USER */ .dW)
        return true;
    let inClass = false;
    for (const ch of glob.replace(/\\(.)/g, '$1')) {
        if (ch === '[')
            inClass = true;
        else if (ch === ']')
            inClass = false;
        else if (!inClass && !GLOB_SYNTAX.test(ch) && !IAM_NAME_CHAR.test(ch))
            return false;
    }
    return true;
}
function readRule(ctx, node, index, fallbackLine) {
    const rule = resolved(ctx, node);
    const line = lineOf(ctx, rule, fallbackLine);
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isMap */ .jh)(rule)) {
        fail(ctx, line, `rule ${index + 1} must be a mapping with "users" and "owners", not ${whatIs(ctx, rule)}`);
        return null;
    }
    const before = ctx.errors.length;
    const values = new Map();
    for (const pair of rule.items) {
        const key = scalarText(ctx, pair.key);
        const keyLine = lineOf(ctx, resolved(ctx, pair.key), line);
        if (key === null || !KEYS.includes(key)) {
            const shown = key === null ? whatIs(ctx, pair.key) : (0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(key);
            fail(ctx, keyLine, `${shown} is not a key of a rule (users, accounts, owners)`);
            continue;
        }
        values.set(key, { value: pair.value, line: keyLine });
    }
    let users = null;
    const usersValue = values.get('users');
    if (!usersValue)
        fail(ctx, line, `rule ${index + 1} has no "users" (a list of user-name globs)`);
    else {
        const items = textList(ctx, usersValue.value, 'users', 'user-name globs', usersValue.line);
        for (const u of items ?? []) {
            if (!canMatchIamName(u.text)) {
                fail(ctx, u.line, `"users": ${(0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(u.text)} can never match an IAM user name (letters, digits and + = , . @ _ - only), nor ${_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .ROOT_USER */ .dW}`);
            }
        }
        users = items?.map((u) => u.text) ?? null;
        if (users && users.length > _owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_USERS_PER_RULE */ .JA) {
            fail(ctx, usersValue.line, `"users" has ${users.length} globs: at most ${_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_USERS_PER_RULE */ .JA} are allowed`);
        }
    }
    let accounts = null;
    const accountsValue = values.get('accounts');
    if (accountsValue) {
        const ids = textList(ctx, accountsValue.value, 'accounts', '12-digit account ids', accountsValue.line);
        for (const id of ids ?? []) {
            if (!_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .ACCOUNT_ID */ .W_.test(id.text))
                fail(ctx, id.line, `"accounts": ${(0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(id.text)} is not a 12-digit account id`);
        }
        accounts = ids?.map((id) => id.text) ?? null;
        if (accounts && accounts.length > _owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_ACCOUNTS_PER_RULE */ .RA) {
            fail(ctx, accountsValue.line, `"accounts" has ${accounts.length} ids: at most ${_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_ACCOUNTS_PER_RULE */ .RA} are allowed`);
        }
    }
    const owners = [];
    const ownersValue = values.get('owners');
    if (!ownersValue)
        fail(ctx, line, `rule ${index + 1} has no "owners" (a list of logins, teams or e-mail addresses)`);
    else {
        const seen = new Set();
        for (const item of textList(ctx, ownersValue.value, 'owners', 'GitHub logins, teams or e-mail addresses', ownersValue.line) ?? []) {
            for (const owner of (0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .parseOwnerItem */ .or)(item.text)) {
                if (seen.has((0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .ownerKey */ .lf)(owner)))
                    continue;
                seen.add((0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .ownerKey */ .lf)(owner));
                owners.push(owner);
                // Something meant as a login, team or address that is none (`@/x`, `alice@`) is a mistake
                // its author can fix; plain text (`Billing team`) is kept as a name a person reads.
                if (owner.kind === 'name' && owner.value.includes('@')) {
                    fail(ctx, item.line, `"owners": ${(0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .quote */ .hD)(owner.value)} is not a GitHub login (@name), team (@org/team) or e-mail address`);
                }
                else if (owner.kind === 'name')
                    ctx.notes.push(`${ctx.fileName} line ${item.line}: ${(0,_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .notAnOwner */ .Mv)(owner.value)}`);
            }
        }
        if (owners.length > _owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_OWNERS */ .qL) {
            fail(ctx, ownersValue.line, `"owners" names ${owners.length} owners: at most ${_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_OWNERS */ .qL} are allowed`);
        }
    }
    if (ctx.errors.length > before || !users)
        return null;
    return { users: [...new Set(users)], accounts: accounts ? [...new Set(accounts)] : null, owners, line };
}
/** The YAML parser's message without its position and source excerpt: the line is said once, first. */
function yamlMessage(message) {
    return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
/**
 * The owners file: a YAML list of rules `{ users, accounts?, owners }`. Every problem is an
 * error naming the file and the line, all of them at once, so one edit fixes the file; a file
 * with any error gives no rules (half a file would silently give keys to the wrong owners).
 * An empty file, or one of comments only, has no rules.
 */
function parseOwnersFile(text, fileName) {
    // A byte-order mark, as some Windows editors write, is not YAML content.
    const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
    const lines = new yaml__WEBPACK_IMPORTED_MODULE_0__/* .LineCounter */ .HN();
    const doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .parseDocument */ .Tp)(source, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length) {
        return { ok: false, errors: cap(doc.errors.map((e) => `${fileName} line ${e.linePos?.[0].line ?? 1}: ${yamlMessage(e.message)}`)) };
    }
    const ctx = { doc, lines, fileName, text: source, errors: [], notes: [] };
    const top = resolved(ctx, doc.contents);
    if (top === null || top === undefined || ((0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isScalar */ .jn)(top) && top.value === null))
        return { ok: true, rules: [], notes: [] };
    if (!(0,yaml__WEBPACK_IMPORTED_MODULE_0__/* .isSeq */ .oP)(top)) {
        return {
            ok: false,
            errors: [`${fileName} line ${lineOf(ctx, top, 1)}: the file must be a list of rules, each with "users" and "owners", not ${whatIs(ctx, top)}`]
        };
    }
    if (top.items.length > _owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_RULES */ .tA) {
        return { ok: false, errors: [`${fileName}: ${top.items.length} rules: at most ${_owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_RULES */ .tA} are allowed`] };
    }
    const rules = [];
    let lastLine = lineOf(ctx, top, 1);
    top.items.forEach((item, i) => {
        const rule = readRule(ctx, item, i, lastLine);
        lastLine = lineOf(ctx, resolved(ctx, item), lastLine);
        if (rule)
            rules.push(rule);
    });
    // In the file's order, whatever order the checks ran in (sort is stable: same line, same order).
    if (ctx.errors.length)
        return { ok: false, errors: cap(ctx.errors.sort((a, b) => a.line - b.line).map((e) => e.text)) };
    return { ok: true, rules, notes: [...new Set(ctx.notes)] };
}
function cap(errors) {
    if (errors.length <= _owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_ERRORS */ .BU)
        return errors;
    return [...errors.slice(0, _owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_ERRORS */ .BU), `… and ${errors.length - _owners_js__WEBPACK_IMPORTED_MODULE_1__/* .MAX_ERRORS */ .BU} more errors`];
}


/***/ })

};
