#!/usr/bin/env node
// The `chatbox` command (package.json "bin"): the compiled terminal client, with the workspace's
// "@chatbox/*" imports resolved. __dirname is the real folder even when npm linked this file.
const { existsSync } = require('node:fs');
const path = require('node:path');

const main = path.join(__dirname, '../../../dist/server/apps/cli/src/main.js');
if (!existsSync(main)) {
  console.error('chatbox: the client is not built yet; run `npm run build:cli` in the ChatBox checkout first.');
  process.exit(1);
}
require('../../../tools/runtime/register-aliases.cjs');
require(main);
