#!/usr/bin/env node
// Entry of the `iam-key-sentry` command (bundled into dist/cli/index.js).
import { main } from './main.js'

// The SDK warns that its future releases will need a newer Node; the copy bundled here is
// fixed, so the warning is noise for whoever runs the CLI. An explicit setting still wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

// exitCode rather than process.exit(): standard output is flushed first, even into a pipe.
process.exitCode = await main(process.argv.slice(2))
