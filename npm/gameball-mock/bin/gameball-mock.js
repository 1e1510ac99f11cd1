#!/usr/bin/env node
// Runs this platform's gameball-mock binary, from the package npm installed
// for it out of optionalDependencies (the way esbuild and biome ship theirs),
// with the same arguments and environment. Signals are passed on, so Ctrl-C
// and SIGTERM let the mock drain in-flight requests, and the exit code (or
// the signal) is the binary's.
'use strict';

const { spawn } = require('node:child_process');

const pkg = `@gbkit/gameball-mock-${process.platform}-${process.arch}`;
const exe = process.platform === 'win32' ? 'gameball-mock.exe' : 'gameball-mock';

let binary;
try {
  binary = require.resolve(`${pkg}/bin/${exe}`);
} catch {
  console.error(
    `gameball-mock: ${pkg} is not installed, so there is no binary for ${process.platform}-${process.arch}.\n` +
      '  Reinstall without --no-optional / --omit=optional, or, on another platform, build it with Go:\n' +
      '  go install github.com/gbkit/gameball-go/mockserver/cmd/gameball-mock@latest',
  );
  process.exit(1);
}

const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit' });

// A terminal's Ctrl-C reaches the whole process group, the binary included;
// passing it on as well covers a signal sent to this process alone (npm run,
// a test runner, a process manager). The mock stops on the first one.
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const signal of signals) {
  process.on(signal, () => child.kill(signal));
}

// npx runs this through sh, and a SIGTERM sent to npx alone (a process
// manager stopping it) kills that shell without passing it on. Orphaned, this
// process stops the mock itself rather than leave it running unowned.
const parent = process.ppid;
let orphaned = false;
setInterval(() => {
  if (!orphaned && process.ppid !== parent) {
    orphaned = true;
    child.kill('SIGTERM');
  }
}, 500).unref();

child.on('error', (err) => {
  console.error(`gameball-mock: cannot run ${binary}: ${err.message}`);
  process.exit(1);
});

child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal, so whatever started us sees what happened.
    for (const s of signals) process.removeAllListeners(s);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code);
});
