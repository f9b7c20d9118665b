// The full client card (Ctrl+Shift+S): everything the quick card has, plus every chat with its
// state and the complete logs. Esc closes it.
import { formatDateTime } from '../../lib/format';
import { useI18n, useWords } from '../../lib/i18n';
import { cardWords } from './card-i18n';
import { ChannelIcon } from '../../lib/icons';
import { Modal } from '../../lib/Modal';
import type { ClientCard } from '../../lib/types';
import { Chips, LogList, TaskList } from './ClientPanel';
import { MergePeople } from './MergePeople';

export function FullCard({ card, onClose, onMerged }: { card: ClientCard; onClose: () => void; onMerged: () => void }) {
  const { t, locale } = useWords(cardWords);
  const app = useI18n().t;
  const p = card.person;
  return (
    <Modal title={`${t('card.full')}: ${p.name}`} onClose={onClose} wide testid="full-card">
      <div className="full-grid">
        <dl className="card-fields">
          <dt>{t('card.status')}</dt>
          <dd>
            {app(`status.${p.status}`)}
            {p.archived ? ` · ${t('card.archived')}` : ''}
            {p.blacklisted ? ` · ${t('card.blacklisted')}` : ''}
          </dd>
          <dt>{t('card.phone')}</dt>
          <dd className="selectable">{p.phone || t('card.none')}</dd>
          <dt>{t('card.email')}</dt>
          <dd className="selectable">{p.email || t('card.none')}</dd>
          <dt>{t('card.created')}</dt>
          <dd>{p.createdAt ? formatDateTime(p.createdAt, locale) : t('card.none')}</dd>
          <dt>{t('card.plans')}</dt>
          <dd>
            <Chips items={p.plans} />
          </dd>
          <dt>{t('card.tags')}</dt>
          <dd>
            <Chips items={p.tags} />
          </dd>
        </dl>
        <div>
          <h3>{t('card.channels')}</h3>
          <table className="chats-table">
            <tbody>
              {(card.chats ?? []).map((c) => (
                <tr key={c.id}>
                  <td>
                    <ChannelIcon kind={c.channelKind} /> {c.channelName}
                  </td>
                  <td>{c.username ? `@${c.username}` : c.externalChatId}</td>
                  <td>
                    {t('card.unread')}: {c.unread}
                  </td>
                  <td>{c.lastMessageAt ? formatDateTime(c.lastMessageAt, locale) : ''}</td>
                  <td>
                    {c.tunnelOff ? t('card.tunnelOff') : ''} {c.botOff ? t('card.botOff') : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('card.tasks')}</h3>
          <TaskList tasks={card.tasks ?? []} />
          <MergePeople personId={p.id} personName={p.name} onMerged={onMerged} />
        </div>
      </div>
      <h3>{t('card.logs')}</h3>
      <LogList logs={card.logs ?? []} />
    </Modal>
  );
}
