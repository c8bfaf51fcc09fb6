// A CommonJS bundle for the bundle loader's tests: it reports what it was run with.
const path = require('node:path');

function greet(name) {
  return `hello ${name}`;
}

module.exports = { greet, file: __filename, directory: __dirname, separator: path.sep };
