export const id = 102;
export const ids = [102];
export const modules = {

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


/***/ })

};
