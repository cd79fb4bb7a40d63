export const id = 162;
export const ids = [162];
export const modules = {

/***/ 9162:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSnsClient: () => (/* binding */ createSnsClient),
/* harmony export */   publishReport: () => (/* binding */ publishReport)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8797);
/* harmony import */ var _aws_clients_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(201);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9378);



/** Built here, not in aws/clients.ts: the SNS SDK is loaded only when a run publishes (main.ts imports this sink on demand). */
function createSnsClient(config) {
    return new _aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .SNSClient */ .kye((0,_aws_clients_js__WEBPACK_IMPORTED_MODULE_0__/* .clientOptions */ .s)(config));
}
async function publishReport(sns, topicArn, message) {
    try {
        const out = await sns.send(new _aws_sdk_client_sns__WEBPACK_IMPORTED_MODULE_2__/* .PublishCommand */ .D5G({
            TopicArn: topicArn,
            Subject: message.subject,
            Message: message.message,
            MessageStructure: 'json',
            MessageAttributes: message.attributes
        }));
        return out.MessageId ?? '';
    }
    catch (err) {
        throw new _aws_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AwsCallError */ .iQ(`sns:Publish on ${topicArn}`, err);
    }
}


/***/ })

};
