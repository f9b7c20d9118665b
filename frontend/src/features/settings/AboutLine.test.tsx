// The About line asks the backend for the version and shows it; with no binding it shows nothing.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider, makeT } from '../../lib/i18n';
import { AboutLine } from './AboutLine';

function renderLine(locale: 'en' | 'ru') {
  return render(
    <I18nProvider value={{ locale, t: makeT(locale) }}>
      <nav>
        <AboutLine />
      </nav>
    </I18nProvider>,
  );
}

describe('AboutLine', () => {
  afterEach(() => {
    cleanup();
    delete (window as { go?: unknown }).go;
  });

  it('shows the version the backend reports', async () => {
    window.go = { app: { Settings: { AppVersion: async () => '0.3.1' } as never } };
    renderLine('ru');
    expect((await screen.findByTestId('settings-about')).textContent).toBe('Switchboard, версия 0.3.1');
  });

  it('shows nothing when the backend has no AppVersion binding', async () => {
    window.go = { app: { Settings: {} as never } };
    const { container } = renderLine('en');
    await new Promise((r) => setTimeout(r, 20));
    expect(container.querySelector('[data-testid="settings-about"]')).toBeNull();
    expect(container.querySelector('nav')?.textContent).toBe('');
  });
});
