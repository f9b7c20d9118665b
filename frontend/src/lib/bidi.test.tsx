import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { plainFileName } from './bidi';
import { AttachmentView } from '../features/history/Attachments';
import { I18nProvider, makeT } from './i18n';

describe('bidirectional controls in client text', () => {
  it('cannot make a file name lie about its extension', () => {
    expect(plainFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(plainFileName('a\u2066b\u2069c\u200F\u061C.pdf')).toBe('abc.pdf');
    expect(plainFileName('отчёт 2026.pdf')).toBe('отчёт 2026.pdf');
    expect(plainFileName('👩‍💻.png')).toBe('👩‍💻.png'); // joiners are not direction controls
  });

  it('shows an attachment name without the override, in an isolating element', () => {
    const { container } = render(
      <I18nProvider value={{ locale: 'en', t: makeT('en') }}>
        <AttachmentView a={{ kind: 'document', fileName: 'invoice\u202Efdp.exe', size: 10 }} />
      </I18nProvider>,
    );
    const name = container.querySelector('.att-name');
    expect(name?.textContent).toBe('invoicefdp.exe');
    expect(name?.classList.contains('bidi-isolate')).toBe(true);
    expect(container.textContent).not.toContain('\u202E');
  });
});
