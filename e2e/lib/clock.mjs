// Moving the server's clock forward, so "after the access token expires" takes no real waiting.
// The xunit host that started this script serves its app with a clock it can move: it reads
// "@@clock advance <seconds>" on our stdout and answers "@@clock ok" on our stdin. Run by hand against a
// server nobody controls (no FRACTAL_CLOCK_CONTROL), the script waits the same time for real (connector-flow.mjs
// skips the expiry step when the token lives longer than two minutes).
import { createInterface } from 'node:readline';

let lines;

function nextLine() {
  lines ??= createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  return lines.next();
}

export const canMoveClock = () => process.env.FRACTAL_CLOCK_CONTROL === 'stdio';

export async function advanceServerClock(seconds) {
  if (!canMoveClock()) {
    await new Promise(resolve => setTimeout(resolve, seconds * 1000));
    return `waited ${seconds} s of real time`;
  }
  console.log(`@@clock advance ${seconds}`);
  const answer = await nextLine();
  if (answer.done || answer.value.trim() !== '@@clock ok') throw new Error(`The host did not move the clock (answered ${JSON.stringify(answer.value)}).`);
  return `server clock moved ${seconds} s forward`;
}

export function closeClockChannel() {
  lines?.return?.();
  process.stdin.destroy();
}
