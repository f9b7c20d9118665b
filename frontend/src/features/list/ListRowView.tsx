import { memo } from 'react';
import { avatar } from '../../lib/Avatar';
import { formatListTime } from '../../lib/format';
import type { TFunc, Translate } from '../../lib/i18n';
import type { ListKey } from './list-i18n';
import { IconPencil, channelIcon } from '../../lib/icons';
import type { ListRow, Locale } from '../../lib/types';

interface Props {
  row: ListRow;
  selected: boolean;
  now: number;
  onSelect: (row: ListRow) => void;
  /** The list's words, the app's words and the language, from the list: a row does not
   * subscribe to the language itself (that is three hooks and two effects per row in the first
   * render; the translate functions change only with the language, so memo still holds). */
  t: Translate<ListKey>;
  app: TFunc;
  locale: Locale;
}

// One person in the list. Every client-controlled string (name, preview) is rendered as a text
// node; React escapes it, so markup in a name stays visible text. The avatar and the messengers'
// marks are plain calls rather than components: the first screen draws a dozen rows and each
// component instance is work for Preact in JavaScriptCore's interpreter (lib/icons.tsx).
export const ListRowView = memo(function ListRowView({ row, selected, now, onSelect, t, app, locale }: Props) {
  const channels = row.channels && row.channels.length > 0 ? row.channels : [row.channelKind];
  return (
    <div
      role="option"
      aria-selected={selected}
      tabIndex={-1}
      className={`row${selected ? ' row-selected' : ''}${row.unread > 0 ? ' row-unread' : ''}`}
      data-testid="person-row"
      data-person-id={row.personId}
      data-chat-id={row.chatId}
      onClick={() => onSelect(row)}
    >
      {avatar({ id: row.personId, name: row.name, size: 40 })}
      <div className="row-main">
        <div className="row-top">
          <span className="row-name" data-testid="row-name">
            {row.name}
          </span>
          {row.hasDraft && (
            <span className="row-draft" title={t('list.draft')} aria-label={t('list.draft')} data-testid="row-draft">
              <IconPencil size={13} />
            </span>
          )}
          <span className="row-channels">
            {channels.map((k) => (
              <span key={k} title={app(`channel.${k}`)} aria-label={app(`channel.${k}`)} role="img">
                {channelIcon(k)}
              </span>
            ))}
          </span>
          <span className="row-time">{formatListTime(row.lastMessageAt, locale, now)}</span>
        </div>
        <div className="row-bottom">
          <span className="row-preview">{row.preview}</span>
          {row.unread > 0 && (
            <span className="badge" data-testid="unread-badge" aria-label={t('list.unreadCount', { n: row.unread })}>
              {row.unread > 99 ? '99+' : row.unread}
            </span>
          )}
        </div>
      </div>
    </div>
  );
});
