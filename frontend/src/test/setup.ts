import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Tests run in Node; the app's tsconfig has no Node types.
declare const process: { env: Record<string, string | undefined> };

// Dates are formatted in the machine's zone (lib/format.ts): tests run in UTC unless they say.
process.env.TZ = 'UTC';

afterEach(() => cleanup());
