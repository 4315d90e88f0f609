#!/usr/bin/env node
// `npm run preview`: the local cloud serving dist/h5 with the demo county. See demo/preview.ts.
import { runTs } from './run-ts.mjs'

await runTs('demo/preview.ts')
