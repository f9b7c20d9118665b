// Right pane: the quick client card (name, channels, plans, tags, phone, email, status, tasks),
// the button to the full card, archive/blacklist, the person's logs and the per-chat switches.
import { Suspense } from 'react';
import { Avatar } from '../../lib/Avatar';
import { formatDateTime } from '../../lib/format';
import { useI18n, useWords } from '../../lib/i18n';
import { cardWords, logKey, logParamOrder } from './card-i18n';
import { ChannelIcon, IconArchive, IconBlock, IconCard } from '../../lib/icons';
import type { Chat, ClientCard, LogEntry, Manager, Task } from '../../lib/types';
import { TaskSection } from '../../lazyParts';

interface Props {
  card: ClientCard;
  me: Manager;
  managers: Manager[];
  /** Reloads the card after a change made here (tasks). */
  onChanged: () => void;
  chat: Chat | undefined;
  onOpenFull: () => void;
  onArchive: (on: boolean) => void;
  onBlacklist: (on: boolean) => void;
  onTunnelOff: (off: boolean) => void;
  onBotOff: (off: boolean) => void;
}

export function Chips({ items }: { items: string[] | null }) {
  const { t } = useWords(cardWords);
  if (!items || items.length === 0) return <span className="muted">{t('card.none')}</span>;
  return (
    <span className="chips">
      {items.map((x) => (
        <span key={x} className="chip chip-static">
          {x}
        </span>
      ))}
    </span>
  );
}

export function TaskList({ tasks }: { tasks: Task[] }) {
  const { t, locale } = useWords(cardWords);
  if (tasks.length === 0) return <div className="muted">{t('card.noTasks')}</div>;
  const now = Date.now();
  return (
    <ul className="tasks">
      {tasks.map((k) => (
        <li key={k.id} className={k.done ? 'done' : k.dueAt < now ? 'overdue' : ''}>
          <span>{k.title}</span>
          <span className="muted small">{k.dueAt < now && !k.done ? t('card.overdue') : t('card.due', { date: formatDateTime(k.dueAt, locale) })}</span>
        </li>
      ))}
    </ul>
  );
}

// A log entry is data (a kind and its parameters): the phrase is ours, the values are the
// company's and the client's names (data-param marks them, so tests can tell words from data).
export function LogList({ logs, limit }: { logs: LogEntry[]; limit?: number }) {
  const { t, locale } = useWords(cardWords);
  if (logs.length === 0) return <div className="muted">{t('card.noLogs')}</div>;
  const shown = limit ? logs.slice(0, limit) : logs;
  return (
    <ul className="logs" data-testid="logs">
      {shown.map((l) => {
        const key = logKey(l.kind);
        const params = l.params ?? {};
        return (
          <li key={l.id} data-testid="log" data-kind={l.kind}>
            <span className="muted small">{formatDateTime(l.at, locale)}</span>
            <span className="log-text">
              {key ? t(key) : t('log.unknown', { kind: l.kind })}
              {logParamOrder
                .filter((name) => params[name])
                .map((name) => (
                  <span key={name} className="log-param">
                    {' · '}
                    {t(`logParam.${name}`)}: <bdi data-param>{params[name]}</bdi>
                  </span>
                ))}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export function ClientPanel({ card, me, managers, onChanged, chat, onOpenFull, onArchive, onBlacklist, onTunnelOff, onBotOff }: Props) {
  const { t } = useWords(cardWords);
  const app = useI18n().t;
  const p = card.person;
  const chats = card.chats ?? [];
  return (
    <aside className="pane pane-card" aria-label={app('card.label')} data-testid="client-panel">
      <div className="card-head">
        <Avatar id={p.id} name={p.name} size={48} />
        <div className="card-title">
          <div className="card-name" data-testid="card-name">
            {p.name}
          </div>
          <div className={`status-pill status-${p.status}`}>{app(`status.${p.status}`)}</div>
        </div>
        <button type="button" className="icon-btn" aria-label={t('card.openFull')} title={t('card.openFull')} data-testid="open-full-card" onClick={onOpenFull}>
          <IconCard size={18} />
        </button>
      </div>
      <div className="card-actions">
        <button type="button" className={`btn btn-small${p.archived ? ' on' : ''}`} data-testid="archive" onClick={() => onArchive(!p.archived)}>
          <IconArchive size={14} /> {p.archived ? t('card.unarchive') : t('card.archive')}
        </button>
        <button type="button" className={`btn btn-small${p.blacklisted ? ' on' : ''}`} data-testid="blacklist" onClick={() => onBlacklist(!p.blacklisted)}>
          <IconBlock size={14} /> {p.blacklisted ? t('card.unblacklist') : t('card.blacklist')}
        </button>
      </div>
      <dl className="card-fields">
        <dt>{t('card.channels')}</dt>
        <dd>
          {chats.map((c) => (
            <span key={c.id} className="channel-line">
              <ChannelIcon kind={c.channelKind} /> {c.channelName}
              {c.username ? ` · @${c.username}` : ''}
            </span>
          ))}
        </dd>
        <dt>{t('card.plans')}</dt>
        <dd>
          <Chips items={p.plans} />
        </dd>
        <dt>{t('card.tags')}</dt>
        <dd>
          <Chips items={p.tags} />
        </dd>
        <dt>{t('card.phone')}</dt>
        <dd className="selectable">{p.phone || t('card.none')}</dd>
        <dt>{t('card.email')}</dt>
        <dd className="selectable">{p.email || t('card.none')}</dd>
      </dl>
      {chat && (
        <div className="switches">
          <label className="switch" title={t('card.tunnelOffHint')}>
            <input type="checkbox" role="switch" checked={chat.tunnelOff} data-testid="tunnel-off" onChange={(e) => onTunnelOff(e.target.checked)} />
            <span>{t('card.tunnelOff')}</span>
          </label>
          <label className="switch" title={t('card.botOffHint')}>
            <input type="checkbox" role="switch" checked={chat.botOff} data-testid="bot-off" onChange={(e) => onBotOff(e.target.checked)} />
            <span>{t('card.botOff')}</span>
          </label>
        </div>
      )}
      <Suspense fallback={null}>
        <TaskSection personId={p.id} tasks={card.tasks ?? []} me={me} managers={managers} onChanged={onChanged} />
      </Suspense>
      <section className="card-section">
        <h3>{t('card.logs')}</h3>
        <LogList logs={card.logs ?? []} limit={8} />
      </section>
    </aside>
  );
}
