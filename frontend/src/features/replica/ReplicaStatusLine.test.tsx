import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { errorCodeText, errorWords } from '../../lib/errors';
import { ReplicaStatusLine, replicaLine, replicaReason, type ReplicaStatus } from './ReplicaStatusLine';
import { replicaWords } from './replica-i18n';

const base: ReplicaStatus = { state: 'online', pending: 0, seq: 10, done: 0, total: 0, lastError: '' };

describe('ReplicaStatusLine', () => {
  it('says nothing in solo mode or when online with nothing waiting', () => {
    expect(replicaLine(null)).toBeNull();
    expect(replicaLine(base)).toBeNull();
    const { container } = render(<ReplicaStatusLine status={base} />);
    expect(container.textContent).toBe('');
  });

  it('words offline with the changes waiting, in both languages', () => {
    const s: ReplicaStatus = { ...base, state: 'offline', pending: 3, lastError: 'hub_unreachable' };
    render(<ReplicaStatusLine status={s} />);
    expect(screen.getByRole('status').textContent).toBe('Offline — 3 changes waiting');
    const [key, vars] = replicaLine(s)!;
    expect(replicaWords.t.ru(key, vars)).toBe('Нет связи — ждут отправки: 3');
  });

  it('says whose disk is full, as a warning, in both languages', () => {
    const hub: ReplicaStatus = { ...base, state: 'online', pending: 2, lastError: 'hub_disk_full' };
    render(<ReplicaStatusLine status={hub} />);
    const line = screen.getByRole('status');
    expect(line.textContent).toBe('The team hub’s disk is full — 2 changes waiting here until it has room');
    expect(line.className).toContain('pill-warn');
    const [key, vars] = replicaLine({ ...base, state: 'offline', lastError: 'disk_full' })!;
    expect(key).toBe('replica.diskFull');
    expect(replicaWords.t.ru(key, vars)).toBe('Диск этого компьютера заполнен: новые сообщения команды ждут, пока вы не освободите место');
  });

  it('shows snapshot progress and a sign-out', () => {
    expect(replicaLine({ ...base, state: 'bootstrapping', done: 200, total: 1000 })).toEqual(['replica.bootstrapping', { done: 200, total: 1000 }]);
    expect(replicaWords.t.en('replica.bootstrapping', { done: 200, total: 1000 })).toBe('Downloading the team’s chats: 200 of 1000');
    expect(replicaLine({ ...base, state: 'signed_out' })?.[0]).toBe('replica.signedOut');
    expect(replicaLine({ ...base, state: 'offline' })?.[0]).toBe('replica.offlineNothing');
  });

  it('tells why it is offline when the manager can act on it: TLS, another version, not a hub', async () => {
    const s: ReplicaStatus = { ...base, state: 'offline', pending: 2, lastError: 'hub_other_version' };
    render(<ReplicaStatusLine status={s} />);
    // The reason's words come with the error table, loaded on demand: the line waits for them
    // rather than showing without its reason first.
    expect(screen.queryByRole('status')).toBeNull();
    expect((await screen.findByRole('status')).textContent).toBe(
      'Offline — 2 changes waiting. The hub runs another version of Switchboard: update the hub or this app so they match.',
    );
    expect(screen.getByTestId('replica-reason').textContent).toContain(errorWords.hub_other_version.en.slice(0, 20));
    expect(replicaReason({ ...s, lastError: 'hub_tls' })).toBe('hub_tls');
    expect(errorCodeText('hub_other_version', 'ru')).toBe('На хабе другая версия Switchboard: обновите хаб или это приложение, чтобы версии совпали.');
    // Unreachable needs no more words than "offline"; online says nothing.
    expect(replicaReason({ ...s, lastError: 'hub_unreachable' })).toBeNull();
    expect(replicaReason({ ...s, state: 'online' })).toBeNull();
  });
});
