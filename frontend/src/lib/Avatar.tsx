import { memo } from 'react';
import { avatarHue, initials } from './avatar';

interface Props {
  id: number;
  name: string;
  url?: string;
  size?: number;
  variant?: 'person' | 'bot' | 'you';
  label?: string;
}

// Remote avatar URLs are not loaded: the UI reads the local store only and never touches the
// network, so a person gets initials on a colour derived from their id.
export const Avatar = memo(function Avatar(p: Props) {
  return avatar(p);
});

/** The avatar as an element, for a list that draws many (a call, not one more component each). */
export function avatar({ id, name, size = 36, variant = 'person', label }: Props) {
  const style = {
    width: size,
    height: size,
    fontSize: Math.round(size * 0.38),
    background: variant === 'person' ? `hsl(${avatarHue(id)} 55% 48%)` : undefined,
  };
  return (
    <span className={`avatar avatar-${variant}`} style={style} aria-hidden={label ? undefined : true} aria-label={label} role={label ? 'img' : undefined}>
      {variant === 'bot' ? 'B' : initials(name)}
    </span>
  );
}
