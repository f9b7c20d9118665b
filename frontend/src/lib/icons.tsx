// Small inline SVG icons (no icon font, nothing fetched). Decorative: callers give the button
// an aria-label.
import type { ChannelKind } from './types';

interface P {
  size?: number;
  className?: string;
}

function Svg({ size = 16, className, children }: P & { children: React.ReactNode }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" className={className} aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

const stroke = { fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

// The messengers' marks are built by plain calls, not components: every people row draws one or
// two, and in the first render each component (ChannelIcon, a mark, Svg) is one more
// instance for Preact to create and diff in JavaScriptCore's interpreter. The shapes are made once
// (Preact copies an element used in several places).
function mark(size: number, shape: React.ReactNode, glyph: React.ReactNode) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {shape}
      {glyph}
    </svg>
  );
}

const telegramShape = <circle cx="12" cy="12" r="11" fill="#2AABEE" />;
const telegramGlyph = (
  <path
    d="M5.5 11.6l11.3-4.4c.5-.2 1 .1.8.9l-1.9 9c-.1.6-.5.8-1 .5l-2.9-2.1-1.4 1.4c-.2.2-.3.3-.6.3l.2-3 5.4-4.9c.2-.2 0-.3-.3-.1l-6.7 4.2-2.9-.9c-.6-.2-.6-.6.1-.9z"
    fill="#fff"
  />
);
const vkShape = <rect x="1" y="1" width="22" height="22" rx="6" fill="#0077FF" />;
const vkGlyph = (
  <path
    d="M12.6 16.5c-4.6 0-7.2-3.1-7.3-8.3h2.3c.1 3.8 1.8 5.4 3.1 5.7V8.2h2.2v3.3c1.3-.1 2.6-1.6 3.1-3.3h2.1c-.4 2-1.9 3.5-3 4.1 1.1.5 2.8 1.8 3.5 4.2h-2.4c-.5-1.6-1.8-2.8-3.3-3v3h-.3z"
    fill="#fff"
  />
);

/** A messenger's mark as an element, for a list that draws many (a call, not a component). */
export function channelIcon(kind: ChannelKind, size = 14) {
  return kind === 'vk' ? mark(size, vkShape, vkGlyph) : mark(size, telegramShape, telegramGlyph);
}

export function ChannelIcon({ kind, size = 14 }: { kind: ChannelKind; size?: number }) {
  return channelIcon(kind, size);
}

export const IconPencil = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4" />
  </Svg>
);
export const IconClock = (p: P) => (
  <Svg {...p}>
    <circle {...stroke} cx="12" cy="12" r="9" />
    <path {...stroke} d="M12 7v5l3 2" />
  </Svg>
);
export const IconCheck = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M5 12.5l4.5 4.5L19 7.5" />
  </Svg>
);
export const IconAlert = (p: P) => (
  <Svg {...p}>
    <circle {...stroke} cx="12" cy="12" r="9" />
    <path {...stroke} d="M12 7.5v5.5M12 16.5v.01" />
  </Svg>
);
export const IconFilter = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M4 5h16l-6 7.5V19l-4 1.5v-8L4 5z" />
  </Svg>
);
export const IconSearch = (p: P) => (
  <Svg {...p}>
    <circle {...stroke} cx="11" cy="11" r="6.5" />
    <path {...stroke} d="M20 20l-4.2-4.2" />
  </Svg>
);
export const IconMore = (p: P) => (
  <Svg {...p}>
    <circle cx="5.5" cy="12" r="1.8" fill="currentColor" />
    <circle cx="12" cy="12" r="1.8" fill="currentColor" />
    <circle cx="18.5" cy="12" r="1.8" fill="currentColor" />
  </Svg>
);
export const IconReply = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M10 8L5 12.5l5 4.5M5.5 12.5H14a5 5 0 015 5V19" />
  </Svg>
);
export const IconClose = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M6 6l12 12M18 6L6 18" />
  </Svg>
);
export const IconSort = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M7 4v16M3.5 16.5L7 20l3.5-3.5M17 20V4M13.5 7.5L17 4l3.5 3.5" />
  </Svg>
);
export const IconPlans = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M4 19V9M10 19V5M16 19v-7M21 19H3" />
  </Svg>
);
export const IconChats = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M4 5h12v9H8l-4 3V5zM9 17h7l4 3v-9h-2" />
  </Svg>
);
export const IconReadAll = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M2.5 12.5L7 17l9.5-9.5M11 16l1 1 9.5-9.5" />
  </Svg>
);
export const IconCard = (p: P) => (
  <Svg {...p}>
    <rect {...stroke} x="3" y="5" width="18" height="14" rx="2" />
    <circle {...stroke} cx="9" cy="11" r="2.2" />
    <path {...stroke} d="M5.8 16c.6-1.5 1.8-2.3 3.2-2.3s2.6.8 3.2 2.3M14.5 10h4M14.5 13.5h3" />
  </Svg>
);
export const IconArchive = (p: P) => (
  <Svg {...p}>
    <rect {...stroke} x="3" y="4" width="18" height="5" rx="1" />
    <path {...stroke} d="M5 9v10h14V9M10 13h4" />
  </Svg>
);
export const IconBlock = (p: P) => (
  <Svg {...p}>
    <circle {...stroke} cx="12" cy="12" r="9" />
    <path {...stroke} d="M5.7 5.7l12.6 12.6" />
  </Svg>
);
export const IconAt = (p: P) => (
  <Svg {...p}>
    <circle {...stroke} cx="12" cy="12" r="4" />
    <path {...stroke} d="M16 8v5a3 3 0 006 0v-1a10 10 0 10-4 8" />
  </Svg>
);
export const IconPaperclip = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M20 11.5l-8 8a5 5 0 01-7-7l8.5-8.5a3.3 3.3 0 014.7 4.7L9.7 17.2a1.7 1.7 0 01-2.4-2.4L15 7" />
  </Svg>
);
export const IconPin = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M12 21s-7-6.2-7-11.5a7 7 0 0114 0C19 14.8 12 21 12 21z" />
    <circle {...stroke} cx="12" cy="9.5" r="2.5" />
  </Svg>
);
export const IconMic = (p: P) => (
  <Svg {...p}>
    <rect {...stroke} x="9" y="3" width="6" height="11" rx="3" />
    <path {...stroke} d="M5 11a7 7 0 0014 0M12 18v3" />
  </Svg>
);
export const IconSun = (p: P) => (
  <Svg {...p}>
    <circle {...stroke} cx="12" cy="12" r="4" />
    <path {...stroke} d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4" />
  </Svg>
);
export const IconMoon = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M20 14.5A8 8 0 019.5 4 8 8 0 1020 14.5z" />
  </Svg>
);
export const IconSend = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M4 12L20 4l-5 16-3-7-8-1z" />
  </Svg>
);

export const IconBell = (p: P) => (
  <Svg {...p}>
    <path {...stroke} d="M6 16V11a6 6 0 1 1 12 0v5l1.5 2h-15L6 16zM10 20a2 2 0 0 0 4 0" />
  </Svg>
);

/** A bar chart: the dialogues report. */
export const IconReport = (p: P) => (
  <Svg {...p}>
    <path {...stroke} strokeWidth={1.8} d="M4 20h16M7 16v-5M12 16V6M17 16v-8" />
  </Svg>
);
