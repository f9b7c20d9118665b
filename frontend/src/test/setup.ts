import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { setTimeZone } from './tz';

// Dates are formatted in the machine's zone (lib/format.ts): tests run in UTC unless they say.
setTimeZone('UTC');

afterEach(() => cleanup());
