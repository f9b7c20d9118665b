// Who owns the open chat. ClaimControl (in the chat head) shows the owner and takes or releases
// the chat: a compare-and-set on the owner this window last saw, so a rival's claim made
// meanwhile is refused with the "claimed" code naming them (worded by lib/errors.ts) instead of
// being overwritten. OwnerLine (above the composer) tells a manager about to reply in someone
// else's chat whose it is. Manager names are data and render as text.
import { useState } from 'react';
import { api } from '../../lib/api';
import { useWords } from '../../lib/i18n';
import { useReportError } from '../../lib/toast';
import type { Chat, Manager } from '../../lib/types';
import { claimsWords } from './claims-i18n';
import './claims.css';

interface Props {
  chat: Chat;
  me: Manager;
  managers: Map<number, Manager>;
  /** Reloads the chat (the card) after a claim, won or lost, so the owner shown is current. */
  onChanged: () => void;
}

function ownerName(managers: Map<number, Manager>, id: number, fallback: string): string {
  return managers.get(id)?.name ?? fallback;
}

export function ClaimControl({ chat, me, managers, onChanged }: Props) {
  const { t } = useWords(claimsWords);
  const report = useReportError();
  const [busy, setBusy] = useState(false);
  const owner = chat.ownerId;
  const run = (p: Promise<void>) => {
    setBusy(true);
    p.catch(report).finally(() => {
      setBusy(false);
      onChanged();
    });
  };
  const name = ownerName(managers, owner, t('claim.someone'));
  let label: string;
  let button: { text: string; hint: string; testid: string; go: () => Promise<void> };
  if (owner === 0) {
    label = t('claim.unassigned');
    button = { text: t('claim.take'), hint: t('claim.takeHint'), testid: 'claim-take', go: () => api.ClaimChat(chat.id, 0) };
  } else if (owner === me.id) {
    label = t('claim.mine');
    button = { text: t('claim.release'), hint: t('claim.releaseHint'), testid: 'claim-release', go: () => api.ReleaseChat(chat.id, me.id) };
  } else {
    label = t('claim.owner', { name });
    button = { text: t('claim.takeOver'), hint: t('claim.takeOverHint', { name }), testid: 'claim-take', go: () => api.ClaimChat(chat.id, owner) };
  }
  return (
    <div className={`claim${owner === me.id ? ' claim-mine' : owner ? ' claim-other' : ''}`} data-testid="claim" data-owner={owner} data-chat-id={chat.id}>
      <span className="claim-owner" title={label} data-testid="chat-owner">
        {label}
      </span>
      <button type="button" className="btn btn-small" title={button.hint} disabled={busy} data-testid={button.testid} onClick={() => run(button.go())}>
        {button.text}
      </button>
    </div>
  );
}

export function OwnerLine({ chat, me, managers }: Omit<Props, 'onChanged'>) {
  const { t } = useWords(claimsWords);
  if (!chat.ownerId || chat.ownerId === me.id) return null;
  return (
    <div className="owner-line" role="note" data-testid="owner-line">
      {t('claim.ownedBy', { name: ownerName(managers, chat.ownerId, t('claim.someone')) })}
    </div>
  );
}
