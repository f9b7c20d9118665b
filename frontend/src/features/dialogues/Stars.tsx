// A 1–5 score as five stars, filled up to it, with its words beside: the stars are decoration
// (hidden from a screen reader), the words are what a reader hears and a test reads. The one
// rendering of a rating: the dialogue bar's client rating and the client's tap in the history.
import './stars.css';

export const STAR_ON = '★';
export const STAR_OFF = '☆';

/** The stars of a score: filled up to it, hollow to five. */
function starGlyphs(score: number): string {
  const n = Math.max(0, Math.min(5, Math.round(score)));
  return STAR_ON.repeat(n) + STAR_OFF.repeat(5 - n);
}

export function Stars({ score, words, testid }: { score: number; words: string; testid: string }) {
  return (
    <span className="stars" data-testid={testid} data-score={score} title={words}>
      <span className="stars-glyphs" aria-hidden="true">
        {starGlyphs(score)}
      </span>{' '}
      <span className="stars-n">{words}</span>
    </span>
  );
}
