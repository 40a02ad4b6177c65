#!/usr/bin/env node
// The `storefront-customer-session` bin. Everything lives in ./main.ts so tests can run it in-process. graphql is an
// optional peer the commands load only when they run: `--help` and `--version` work without it, and a command that
// needs it names the install (see isMissingGraphql in ./main.ts).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
