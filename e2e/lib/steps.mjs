// Step reporting for the end-to-end scripts: every step prints one line when it passes; the first failure
// prints the step's name and the reason, and the script exits 1. Tokens, codes and secrets are never printed.

let current = '(start)';

export async function step(name, action) {
  current = name;
  const started = Date.now();
  const detail = await action();
  const ms = Date.now() - started;
  console.log(`STEP ok   ${name}${detail ? ` — ${detail}` : ''} (${ms} ms)`);
  return detail;
}

/** A step that cannot run here, with the reason (the xunit tests require every step to pass, so never there). */
export function skip(name, reason) {
  console.log(`STEP skip ${name} — ${reason}`);
}

/** A line about how the step was done (e.g. where the SDK could not express a habit and fetch did it). */
export function note(text) {
  console.log(`     note ${text}`);
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Runs the whole script; a failure names the step it happened in. */
export async function run(title, main) {
  console.log(`BEGIN ${title} (node up ${process.uptime().toFixed(1)} s)`);
  try {
    await main();
    console.log(`PASS ${title} (node up ${process.uptime().toFixed(1)} s)`);
    process.exitCode = 0;
  } catch (error) {
    console.log(`FAIL at step "${current}": ${error?.stack ?? error}`);
    process.exitCode = 1;
  }
  // Whatever handle the SDK or the browser left open, the script ends here (stdout to a pipe is synchronous on Linux).
  setTimeout(() => process.exit(process.exitCode), 500).unref();
}
