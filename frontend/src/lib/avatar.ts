// Initials and a stable colour from an id, for people and managers without a picture.
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  const letter = (w: string | undefined) => {
    if (!w) return '';
    const m = /[\p{L}\p{N}]/u.exec(w);
    return m ? m[0].toUpperCase() : '';
  };
  const s = letter(words[0]) + letter(words[1]);
  return s || '?';
}

export function avatarHue(id: number): number {
  // Knuth's multiplicative hash spreads neighbouring ids across the colour wheel.
  return Math.abs(Math.imul(id, 2654435761) >>> 0) % 360;
}
