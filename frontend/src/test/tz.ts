// The UI formats dates in the machine's time zone; tests pick the zone through TZ, which Node
// reads again whenever it changes. setup.ts starts every test in UTC.
// Tests run in Node; the app's tsconfig has no Node types.
declare const process: { env: Record<string, string | undefined> };

export function setTimeZone(tz: string | undefined): void {
  if (tz === undefined) delete process.env.TZ;
  else process.env.TZ = tz;
}

export function inTimeZone<T>(tz: string, fn: () => T): T {
  const before = process.env.TZ;
  setTimeZone(tz);
  try {
    return fn();
  } finally {
    setTimeZone(before);
  }
}
