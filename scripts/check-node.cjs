#!/usr/bin/env node
// Stops `npm ci` (as the root preinstall script) and the entry-point scripts with one line that
// names the fix when Node.js is older than the major version in .nvmrc. Written for any old Node:
// no syntax or API newer than Node 10, so the check itself cannot be what fails.
'use strict';
var fs = require('fs');
var path = require('path');

var nvmrc = path.join(__dirname, '..', '.nvmrc');
var required = parseInt(fs.readFileSync(nvmrc, 'utf8').trim().replace(/^v/, ''), 10);
var current = parseInt(process.versions.node.split('.')[0], 10);

if (!(required > 0)) {
  console.error('.nvmrc must hold a Node.js major version such as 24, got "' + fs.readFileSync(nvmrc, 'utf8').trim() + '"');
  process.exit(1);
}
if (current < required) {
  console.error(
    'Node.js ' + process.version + ' is older than ' + required + ' (.nvmrc): run `nvm install && nvm use` in this folder, ' +
      'or `bash .ci/run`, which installs Node.js ' + required + ' itself and runs the tests'
  );
  process.exit(1);
}
