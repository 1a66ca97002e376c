// Entry of the built package: the workspace symlink resolves here, the code is in the root dist/.
module.exports = require('../../dist/services/portfolio/src/index.js');
