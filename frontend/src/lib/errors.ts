// Go errors arrive as strings. A leading "[code]" maps to words in the person's language;
// anything else is shown as the text itself.
import { ApiError, BackendMissingError } from './api';
import type { I18nKey, TFunc } from './i18n';

const codes: Record<string, I18nKey> = {
  not_found: 'err.not_found',
  delete_window: 'err.delete_window',
  delete_window_passed: 'err.delete_window',
  not_editable: 'err.not_editable',
  too_long: 'err.too_long',
  text_too_long: 'err.too_long',
  empty: 'err.empty',
  empty_message: 'err.empty',
  offline: 'err.offline',
  unreachable: 'err.offline',
  tls: 'err.tls',
  server_error: 'err.server_error',
  not_bot_api: 'err.not_bot_api',
  token_rejected: 'err.token_rejected',
  webhook: 'err.webhook',
  conflict: 'err.conflict',
  rate_limited: 'err.rate_limited',
  rejected: 'err.rejected',
  not_available: 'err.not_available',
};

// Bare messages of the core rules (backend/core/rules.go) without a code.
const bare: Record<string, I18nKey> = {
  'delete window passed': 'err.delete_window',
  'message cannot be edited': 'err.not_editable',
  'text too long': 'err.too_long',
  'empty message': 'err.empty',
};

export function errorText(e: unknown, t: TFunc): string {
  if (e instanceof BackendMissingError) return t('err.backend');
  if (e instanceof ApiError) {
    const key = codes[e.code];
    if (key) return t(key, { text: e.message });
    for (const [suffix, k] of Object.entries(bare)) {
      if (e.message.toLowerCase().endsWith(suffix)) return t(k);
    }
    return e.message || t('err.generic', { text: e.code });
  }
  if (e instanceof Error) return e.message;
  return String(e);
}
