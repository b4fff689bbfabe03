/**
 * Offered times as one radio group: a single tab stop, arrows (and Home/End) move between times, so a
 * keyboard user passes a day of 36 slots with one Tab. `onActivate` (Enter/click) for lists that act
 * at once (moving an appointment); `onSelect` for lists that only choose (booking).
 */
import { forwardRef, useImperativeHandle, useRef, type KeyboardEvent } from "react";

export interface SlotOption {
  key: string;
  label: string;
  sublabel?: string;
  ariaLabel: string;
}

export interface SlotListHandle {
  focus(): void;
}

export const SlotList = forwardRef<SlotListHandle, { options: SlotOption[]; selectedKey: string | null; label: string; disabled?: boolean; onSelect(key: string): void }>(
  function SlotList({ options, selectedKey, label, disabled, onSelect }, ref) {
    const buttons = useRef(new Map<string, HTMLButtonElement>());
    const tabStop = selectedKey && options.some((o) => o.key === selectedKey) ? selectedKey : options[0]?.key;
    useImperativeHandle(ref, () => ({ focus: () => (tabStop ? buttons.current.get(tabStop)?.focus() : undefined) }), [tabStop]);

    const onKeyDown = (event: KeyboardEvent, index: number) => {
      const columns = 4;
      const moves: Record<string, number> = { ArrowRight: 1, ArrowDown: columns, ArrowLeft: -1, ArrowUp: -columns, Home: -index, End: options.length - 1 - index };
      const delta = moves[event.key];
      if (delta === undefined) return;
      event.preventDefault();
      event.stopPropagation();
      const next = options[Math.min(Math.max(index + delta, 0), options.length - 1)];
      if (next) buttons.current.get(next.key)?.focus();
    };

    return (
      <div className="slot-list" role="radiogroup" aria-label={label}>
        {options.map((o, i) => (
          <button
            key={o.key}
            ref={(el) => {
              if (el) buttons.current.set(o.key, el);
              else buttons.current.delete(o.key);
            }}
            type="button"
            role="radio"
            aria-checked={o.key === selectedKey}
            aria-label={o.ariaLabel}
            className="slot"
            disabled={disabled}
            tabIndex={o.key === tabStop ? 0 : -1}
            onKeyDown={(e) => onKeyDown(e, i)}
            onClick={() => onSelect(o.key)}
          >
            {o.label}
            {o.sublabel && <span className="slot-staff">{o.sublabel}</span>}
          </button>
        ))}
      </div>
    );
  },
);
