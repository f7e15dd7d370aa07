// The committed configs are what these tests check: a developer's override file named by
// CORE_CONFIG_FILE must not leak into them (workers inherit this process's environment). A test
// that needs an override file sets it itself.
delete process.env.CORE_CONFIG_FILE;

module.exports = require("../../jest.preset.js")(__dirname);
