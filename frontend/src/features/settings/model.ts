// Pure rules of the Settings screen, tested without a DOM: how a channel's live status reads,
// which words a failed call gets, and the client-side checks of the add/link forms.
import { ApiError, BackendMissingError } from '../../lib/api';
import type { ChannelStatus } from '../../lib/types';
import type { SettingsKey, SettingsT } from './settings-i18n';

export type Tone = 'ok' | 'busy' | 'warn' | 'error' | 'muted';

export interface StatusView {
  text: string;
  tone: Tone;
  /** A longer explanation with what to do, when there is something to do. */
  explain?: SettingsKey;
  /** Offer "Remove webhook". */
  webhook: boolean;
  /** Offer "Try again": the poller stopped and waits for the manager. */
  retry?: boolean;
}

/** How a channel's poller status reads in Settings → Channels. */
export function statusView(st: ChannelStatus | null | undefined, enabled: boolean, t: SettingsT): StatusView {
  if (!enabled) return { text: t('ch.disabled'), tone: 'muted', webhook: false };
  if (!st) return { text: t('state.unknown'), tone: 'busy', webhook: false };
  switch (st.state) {
    case 'connected':
      return { text: t('state.connected'), tone: 'ok', webhook: false };
    case 'polling':
      return { text: t('state.polling'), tone: 'ok', webhook: false };
    case 'offline':
      return { text: st.retryIn > 0 ? t('state.offline', { n: st.retryIn }) : t('state.offlineNow'), tone: 'warn', webhook: false };
    case 'rate_limited':
      return {
        text: st.retryIn > 0 ? t('state.rate_limited', { n: st.retryIn }) : t('state.rate_limitedNow'),
        tone: 'warn',
        webhook: false,
      };
    case 'revoked':
      return { text: t('state.revoked'), tone: 'error', explain: 'ch.revokedExplain', webhook: false };
    case 'conflict':
      // A webhook is reported as a conflict with the webhook flag: it has its own remedy.
      if (st.webhook) return { text: t('state.webhook'), tone: 'error', explain: 'ch.webhookExplain', webhook: true };
      return { text: t('state.conflict'), tone: 'error', explain: 'ch.conflictExplain', webhook: false, retry: true };
    case 'stopped':
      return { text: t('state.stopped'), tone: 'muted', webhook: false, retry: true };
    default:
      return { text: t('state.unknown'), tone: 'busy', webhook: false };
  }
}

/**
 * A countdown for "retrying in N s": the supervisor reports RetryIn once, at `at`; the UI ticks it
 * down locally instead of asking again every second.
 */
export function remainingRetry(st: ChannelStatus, nowMs: number): number {
  if (st.retryIn <= 0 || !st.at) return st.retryIn;
  // A clock reading older than the report (the tick has not come yet) counts as no time passed.
  const left = st.retryIn - Math.floor(Math.max(0, nowMs - st.at) / 1000);
  return Math.max(0, left);
}

const codeKeys: Record<string, SettingsKey> = {
  token_rejected: 'err.token_rejected',
  unauthorized: 'err.token_rejected',
  offline: 'err.unreachable',
  unreachable: 'err.unreachable',
  tls: 'err.tls',
  rate_limited: 'err.rate_limited',
  conflict: 'err.conflict',
  webhook: 'err.webhook',
  no_keyring: 'err.no_keyring',
  duplicate: 'err.duplicate',
  no_engine: 'err.no_engine',
  not_available: 'err.not_available',
};

/**
 * settingsErrorText gives a failed Settings call its words. Codes come from app/errors.go;
 * "rejected" and "invalid" keep the messenger's/validator's own text because it names the problem.
 * Anything else falls back to the shell's generic mapping (fallback).
 */
export function settingsErrorText(e: unknown, t: SettingsT, fallback: (e: unknown) => string): string {
  if (e instanceof BackendMissingError) return fallback(e);
  if (e instanceof ApiError) {
    const key = codeKeys[e.code];
    if (key) return t(key);
    // Reachable but wrong: the server's status and its own (shortened) words go into the sentence.
    if (e.code === 'server_error') return t('err.server_error', { text: e.message });
    if (e.code === 'not_bot_api') return t('err.not_bot_api', { text: e.message });
    if (e.code === 'rejected') return t('err.rejected', { text: e.message });
    if (e.code === 'invalid') return t('err.invalid', { text: e.message });
  }
  return fallback(e);
}

/** Whether an error means "a webhook blocks polling": the add dialog then offers to remove it. */
export function isWebhookError(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'webhook';
}

/** Mirrors core.ValidDeepLinkPayload: 1..64 of A-Za-z0-9_-. */
export function validLeadCode(s: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(s);
}

/** A custom Bot API server must be an http(s) URL; empty means the default server. */
export function validApiUrl(s: string): boolean {
  const v = s.trim();
  if (!v) return true;
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !!u.host;
  } catch {
    return false;
  }
}

/** A VK community id: digits only (a leading "club"/"public" or minus is tolerated). */
export function normaliseGroupId(s: string): string | null {
  const v = s.trim().replace(/^(club|public|-)/i, '');
  return /^\d{1,15}$/.test(v) ? v : null;
}

/** The placeholders a template fills in (backend ExpandTemplate) that occur in value. */
export function usedPlaceholders(value: string): string[] {
  const known = ['name', 'first_name', 'phone', 'email', 'manager'];
  const found = new Set<string>();
  for (const m of value.matchAll(/\{(\w+)\}/g)) {
    const p = m[1] ?? '';
    if (known.includes(p)) found.add(p);
  }
  return known.filter((k) => found.has(k));
}
