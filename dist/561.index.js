export const id = 561;
export const ids = [561];
export const modules = {

/***/ 7561:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createOctokit: () => (/* binding */ createOctokit),
/* harmony export */   runUrl: () => (/* binding */ runUrl),
/* harmony export */   workflowRepo: () => (/* binding */ workflowRepo)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1758);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6856);
/* harmony import */ var _core_user_agent_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8539);
/* harmony import */ var _octokit_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1985);
// The one place an Octokit client is built: octokit.ts's deadlines and rate-limit handlers, and
// retries for 5xx, network errors and requests cut at the deadline. With the runner's context
// (the workflow's repository, the run's URL), the only code that loads @actions/github and the
// Octokit plugins: main.ts imports this file on demand, when a run keeps tracking issues or
// obeys a comment, so that the other runs do not load them before their first AWS call.





function createOctokit(token, log) {
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, {
        // Before Octokit's own: `iam-key-sentry/0.1.0 github-run/… octokit-core.js/…`.
        userAgent: (0,_core_user_agent_js__WEBPACK_IMPORTED_MODULE_1__/* .userAgent */ .N1)(process.env),
        throttle: (0,_octokit_js__WEBPACK_IMPORTED_MODULE_2__/* .rateLimitHandlers */ .rq)(log),
        // 4xx are answers, not accidents: a missing permission does not heal on retry. 429 is a
        // rate limit: plugin-throttling waits for it, within the run's budget.
        retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] }
    }, _octokit_js__WEBPACK_IMPORTED_MODULE_2__/* .deadlines */ .QA, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_3__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_4__/* .throttling */ .A);
}
/** The workflow's repository (from GITHUB_REPOSITORY; throws without it). */
function workflowRepo() {
    return _actions_github__WEBPACK_IMPORTED_MODULE_0__/* .context */ ._.repo;
}
/** The run's URL, for replies and comments; null off a runner. */
function runUrl() {
    return _actions_github__WEBPACK_IMPORTED_MODULE_0__/* .context */ ._.runId ? `${_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .context */ ._.serverUrl}/${_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .context */ ._.repo.owner}/${_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .context */ ._.repo.repo}/actions/runs/${_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .context */ ._.runId}` : null;
}


/***/ })

};
