import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import type { LogEntry } from '../../lib/types';
import { LogList } from './ClientPanel';

const at = Date.UTC(2026, 11, 1, 10, 0);
const logs: LogEntry[] = [
  { id: 3, personId: 1, kind: 'plan_added', params: { plan: 'Onboarding' }, at },
  { id: 2, personId: 1, kind: 'subscription', params: { channel: 'Shop bot', tunnel: 'Main', source: 'Instagram', tool: 'Quiz' }, at },
  { id: 1, personId: 1, kind: 'archived', params: null, at },
];

function renderLogs(locale: 'en' | 'ru', entries: LogEntry[] = logs) {
  return render(
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <LogList logs={entries} />
    </I18nProvider>,
  );
}

// The words of a log entry without its data (names of plans, bots, sources) and date.
function words(li: Element): string {
  const copy = li.querySelector('.log-text')!.cloneNode(true) as Element;
  copy.querySelectorAll('[data-param]').forEach((e) => e.remove());
  return copy.textContent ?? '';
}

describe('LogList', () => {
  it('words each kind in Russian, with the names as data', () => {
    renderLogs('ru');
    const items = screen.getAllByTestId('log');
    expect(items.map(words)).toEqual([
      'Добавлен в план продаж · План продаж: ',
      'Подписка · Канал связи:  · Туннель:  · Источник трафика:  · Инструмент лидогенерации: ',
      'Добавлен в архив',
    ]);
    expect([...items[1]!.querySelectorAll('[data-param]')].map((e) => e.textContent)).toEqual(['Shop bot', 'Main', 'Instagram', 'Quiz']);
    for (const li of items) expect(words(li)).not.toMatch(/[A-Za-z]/);
  });

  it('words each kind in English', () => {
    renderLogs('en');
    const items = screen.getAllByTestId('log');
    expect(items.map(words)).toEqual([
      'Added to a sales plan · Sales plan: ',
      'Subscribed · Channel:  · Tunnel:  · Traffic source:  · Lead-generation tool: ',
      'Moved to the archive',
    ]);
    for (const li of items) expect(li.textContent).not.toMatch(/[А-Яа-яЁё]/);
  });

  it('renders hostile names as text and an unknown kind by its name', () => {
    const { container } = renderLogs('en', [{ id: 9, personId: 1, kind: 'future_kind', params: { name: '<img src=x onerror=alert(1)>' }, at }]);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('log').textContent).toContain('Event future_kind · Merged record: <img src=x onerror=alert(1)>');
  });
});
