// Entry of the built lib: the workspace symlink resolves here, the code is in the root dist/.
module.exports = require('../../dist/libs/portfolio/src/index.js');
