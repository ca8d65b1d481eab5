import type { SVGAttributes } from 'preact';

/**
 * The props that make an SVG group a button: focusable, named by its numbers, pressed when it
 * is the active filter, and answering Enter and Space as a button does.
 */
export function pickable(label: string, pressed: boolean, onPick: () => void): SVGAttributes<SVGGElement> {
  return {
    role: 'button',
    tabIndex: 0,
    'aria-label': label,
    'aria-pressed': pressed,
    class: pressed ? 'pick picked' : 'pick',
    onClick: onPick,
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onPick();
      }
    },
  };
}
