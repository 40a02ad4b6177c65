#!/usr/bin/env node
// The `storefront-customer-session` bin. Everything lives in ./main.ts so tests can run it in-process.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
