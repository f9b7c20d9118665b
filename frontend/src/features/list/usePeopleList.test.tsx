// The list's first page when the page arrived with it (lib/inlineBoot.ts): shown in the first
// render, not asked for again; later queries still go to Go.
import { renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { takeInlineBoot } from '../../lib/inlineBoot';
import type { ListPage, ListRow } from '../../lib/types';
import { usePeopleList, type ListParams } from './usePeopleList';
import { fakeGo } from '../../test/bindings';

const row = (id: number, name: string) => ({ personId: id, chatId: id * 10, name }) as unknown as ListRow;
const firstPage: ListPage = { rows: [row(1, 'Anna'), row(2, 'Boris')], nextCursor: 'c2' };
const params: ListParams = { tab: 'all', search: '', filter: {}, oldestFirst: false };

let listPeople: ReturnType<typeof vi.fn>;
beforeEach(() => {
  listPeople = vi.fn(async () => ({ rows: [row(3, 'Vera')], nextCursor: '' }));
  window.go = fakeGo({ ListPeople: listPeople, TabCounts: vi.fn(async () => ({ important: 0, all: 3, unread: 1 })) });
});
afterEach(() => {
  delete window.go;
  document.body.replaceChildren();
});

function bootElement(json: string) {
  document.getElementById('sb-boot')?.remove();
  const el = document.createElement('script');
  el.id = 'sb-boot';
  el.type = 'application/json';
  el.textContent = json;
  document.body.append(el);
}

describe('usePeopleList with the first page inline', () => {
  it('renders the given page at once and does not ask for it', async () => {
    const { result } = renderHook(() => usePeopleList(params, { important: 0, all: 3, unread: 1 }, vi.fn(), firstPage));
    expect(result.current.loading).toBe(false);
    expect(result.current.rows.map((r) => r.name)).toEqual(['Anna', 'Boris']);
    await new Promise((r) => setTimeout(r, 10));
    expect(listPeople).not.toHaveBeenCalled();
  });

  it('asks Go for every later query', async () => {
    const { result, rerender } = renderHook((p: ListParams) => usePeopleList(p, null, vi.fn(), firstPage), { initialProps: params });
    rerender({ ...params, search: 'ver' });
    await waitFor(() => expect(result.current.rows.map((r) => r.name)).toEqual(['Vera']));
    expect(listPeople).toHaveBeenCalledTimes(1);
    expect(listPeople.mock.calls[0]![0]).toMatchObject({ search: 'ver', cursor: '' });
  });

  it('asks for the first page when none came with the page', async () => {
    const { result } = renderHook(() => usePeopleList(params, null, vi.fn()));
    expect(result.current.loading).toBe(true);
    await waitFor(() => expect(result.current.rows.map((r) => r.name)).toEqual(['Vera']));
  });
});

describe('takeInlineBoot', () => {
  it('reads the data element once and removes it', () => {
    bootElement('{"counts":{"important":1,"all":2,"unread":0},"defaultTab":"all","firstPage":{"rows":[],"nextCursor":""}}');
    expect(takeInlineBoot()?.counts.all).toBe(2);
    expect(document.getElementById('sb-boot')).toBeNull();
    expect(takeInlineBoot()).toBeNull();
  });

  it('ignores a damaged or foreign element', () => {
    bootElement('{"counts":');
    expect(takeInlineBoot()).toBeNull();
    bootElement('[1,2]');
    expect(takeInlineBoot()).toBeNull();
  });
});

describe('usePeopleList on an empty workspace', () => {
  it('shows a person who arrives after the first, empty page (issue 13)', async () => {
    // The first query finds nobody; then a client writes and the store reports a change.
    listPeople.mockResolvedValueOnce({ rows: [], nextCursor: '' });
    const { result } = renderHook(() => usePeopleList(params, null, vi.fn()));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.rows).toEqual([]);
    result.current.refreshVisible(0, -1);
    await waitFor(() => expect(result.current.rows.map((r) => r.name)).toEqual(['Vera']));
  });

  it('also when the inline first page was empty', async () => {
    const { result } = renderHook(() => usePeopleList(params, { important: 0, all: 0, unread: 0 }, vi.fn(), { rows: [], nextCursor: '' }));
    expect(result.current.rows).toEqual([]);
    result.current.refreshVisible(0, 30);
    await waitFor(() => expect(result.current.rows.map((r) => r.name)).toEqual(['Vera']));
  });
});

describe('usePeopleList.settled', () => {
  it('is false from a new query until both its rows and its counts are in', async () => {
    const { result, rerender } = renderHook((p: ListParams) => usePeopleList(p, { important: 0, all: 3, unread: 1 }, vi.fn(), firstPage), {
      initialProps: params,
    });
    expect(result.current.settled).toBe(true);
    rerender({ ...params, search: 'ver' });
    expect(result.current.settled).toBe(false);
    await waitFor(() => expect(result.current.rows.map((r) => r.name)).toEqual(['Vera']));
    await waitFor(() => expect(result.current.settled).toBe(true));
  });
});
