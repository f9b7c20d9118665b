// Go sends "team:status" with every change of the replica too (its queue, a snapshot's progress):
// the Settings sections that read the status re-render only when the part they read changed.
// Renders are counted with Preact's own hook (options.diffed: a component diffed is a component
// rendered, as nothing above these sections renders again in this test).
import { act, render, screen, waitFor } from '@testing-library/react';
import { options, type VNode } from 'preact';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { ReplicaStatus, TeamStatus } from '../../lib/teamApi';
import { fakeGo } from '../../test/bindings';
import { resetSettingsWindow } from '../../test/settings';
import { DialogueListsSection } from '../dialogues/DialogueListsSection';
import { ChannelsSection } from './ChannelsSection';
import { CompanySection } from './CompanySection';
import { LeadLinksSection } from './LeadLinksSection';
import { TeamSection } from './TeamSection';
import { TemplatesSection } from './TemplatesSection';
import type { ChannelsState } from './useChannels';

const replica = (patch: Partial<ReplicaStatus>): ReplicaStatus => ({ state: 'online', pending: 0, seq: 40, done: 0, total: 0, lastError: '', ...patch });

function status(role: 'admin' | 'manager', r: ReplicaStatus): TeamStatus {
  return {
    mode: 'connected',
    hubUrl: 'https://hub.example',
    email: 'bob@example.com',
    problem: '',
    account: { id: 2, name: 'Bob', avatarUrl: '', email: 'bob@example.com', role, disabled: false, createdAt: 0, updatedAt: 0 },
    restartNeeded: false,
    replica: r,
  };
}

const channels: ChannelsState = { views: [], loading: false, error: null, reload: async () => undefined, setNotify: () => undefined };

const sections = { TeamSection, TemplatesSection, DialogueListsSection, LeadLinksSection, ChannelsSection, CompanySection };
type SectionName = keyof typeof sections;

/** Counts the renders of each section from now until stop(). */
function countRenders() {
  const counts = Object.fromEntries(Object.keys(sections).map((k) => [k, 0])) as Record<SectionName, number>;
  const names = new Map<unknown, SectionName>(Object.entries(sections).map(([k, c]) => [c, k as SectionName]));
  const previous = options.diffed;
  options.diffed = (vnode: VNode) => {
    const name = names.get(vnode.type);
    if (name) counts[name]++;
    previous?.(vnode);
  };
  return { counts, stop: () => (options.diffed = previous) };
}

let stopCounting = () => {};

afterEach(() => {
  stopCounting();
  resetSettingsWindow();
});

describe('team:status and the Settings sections', () => {
  it('a change of the replica alone re-renders no section; a new role re-renders those that read it', async () => {
    const teamListeners: ((s: unknown) => void)[] = [];
    const first = status('manager', replica({}));
    window.go = fakeGo({
      TeamStatus: async () => first,
      CheckTeam: async () => first,
      TeamUsers: async () => [],
      Templates: async () => [],
      DialogueOptions: async () => [],
      LeadLinks: async () => [],
      KeyringStatus: async () => '',
      SettingsChannels: async () => [],
    });
    window.runtime = {
      EventsOn: (name: string, cb: (s: unknown) => void) => {
        if (name === 'team:status') teamListeners.push(cb);
        return () => undefined;
      },
      EventsOff: () => undefined,
    } as never;
    const emit = (st: TeamStatus) => act(() => teamListeners.forEach((cb) => cb(st)));

    render(
      <I18nProvider value={{ locale: 'en', t: makeT('en') }}>
        <TeamSection />
        <TemplatesSection />
        <DialogueListsSection />
        <LeadLinksSection channels={channels} />
        <ChannelsSection channels={channels} />
        <CompanySection />
      </I18nProvider>,
    );
    await screen.findByTestId('team-connected');
    await screen.findByTestId('company-read-only');
    await screen.findByTestId('tpl-read-only');
    // The section's check with the hub has answered and settled.
    await waitFor(() => expect(screen.queryByText('Checking the connection…')).toBeNull());
    await act(async () => new Promise((r) => setTimeout(r, 20)));

    const renders = countRenders();
    stopCounting = renders.stop;
    // A snapshot's progress, then the queue: the replica's own changes.
    emit(status('manager', replica({ state: 'bootstrapping', done: 500, total: 4000 })));
    emit(status('manager', replica({ state: 'bootstrapping', done: 1500, total: 4000 })));
    emit(status('manager', replica({ state: 'online', pending: 3 })));
    expect(teamListeners.length).toBeGreaterThan(0);
    expect(renders.counts).toEqual({
      TeamSection: 0,
      TemplatesSection: 0,
      DialogueListsSection: 0,
      LeadLinksSection: 0,
      ChannelsSection: 0,
      CompanySection: 0,
    });

    // The hub made Bob an admin: every section reading the membership shows it.
    emit(status('admin', replica({ state: 'online', pending: 3 })));
    await screen.findByTestId('read-all');
    for (const name of Object.keys(sections) as SectionName[]) {
      expect(renders.counts[name], name).toBeGreaterThan(0);
    }
  });
});
