#!/usr/bin/env node
// The `storefront-customer-session` bin. Everything lives in ./main.ts so tests can run it in-process. graphql is
// an optional peer the CLI needs: checked first, so a missing install reads as the fix, not a module-not-found trace.
import { LIBRARY } from '../runtime/errors.js';

const graphql = await import('graphql').catch(() => undefined);
if (graphql === undefined) {
  process.stderr.write(
    `${LIBRARY}: graphql is not installed beside the package ("${process.cwd()}"). The CLI and the emulator ` +
      'need it (the exchanges do not): npm install --save-dev graphql\n',
  );
  process.exitCode = 1;
} else {
  const { main } = await import('./main.js');
  process.exitCode = await main(process.argv.slice(2));
}
