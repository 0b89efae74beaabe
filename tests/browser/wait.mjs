// Bounded waiting for the browser tests: every wait has a deadline and, when it passes, says
// what it waited for and what it saw last.

/** The default bound of one wait (a screen, a picture, a state). */
export const WAIT_MS = 15_000;

/** Resolves with `promise`, or rejects with `what` after `ms`. */
export function within(promise, ms, what) {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe()` until `accept(value)` holds; throws `what` with the last value after `ms`. */
export async function pollUntil(probe, accept, { ms = WAIT_MS, every = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + ms;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const seen = lastError ? `error: ${lastError.message}` : `last value: ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${ms} ms waiting for ${what}; ${seen}`);
    }
    await sleep(every);
  }
}
