// A test double of the Wails bindings: the same methods under every bound service, so a UI test
// names only the methods it answers. Which service owns which method is checked against Go by
// app/contract_test.go and, live, by the browser e2e.
import type { Service } from '../lib/api';

type Methods = Record<string, unknown>;

export function fakeGo(methods: Methods): NonNullable<Window['go']> {
  const bound = methods as unknown as Record<string, (...args: never[]) => Promise<unknown>>;
  const services: Service[] = ['Workspace', 'Composer', 'Settings', 'Desktop', 'Team'];
  return { app: Object.fromEntries(services.map((s) => [s, bound])) };
}
