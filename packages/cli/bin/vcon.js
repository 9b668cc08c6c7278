#!/usr/bin/env node
// The `vcon` command. The code lives in ../dist (built from ../src by `npm run build`, which the repository's
// `prepare` script runs on `npm install`); this shim only loads it, so that the bin path stays stable.
try {
  await import('../dist/main.js')
} catch (error) {
  // A missing build is a setup problem, not a crash: say what to do instead of printing a stack trace.
  if (error && error.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write(
      `vcon: the CLI is not built (${error.message.split('\n')[0]}); run \`npm run build\`\n`,
    )
    process.exitCode = 2
  } else {
    throw error
  }
}
