/**
 * A date typed the way a German desk writes it ("27.11.2026", "27.11." for this year; ISO works too),
 * shown as TT.MM.JJJJ whatever language the browser itself runs in (a native date field follows the
 * browser's own locale, which is not the desk's). Enter or leaving the field applies it.
 */
import { useEffect, useState, type KeyboardEvent } from "react";
import { formatDeskDate, parseDeskDate } from "./desk-date";

export const DateField = (props: { value: string; zone: string; label: string; id?: string; className?: string; onChange(date: string): void }) => {
  const [text, setText] = useState(formatDeskDate(props.value));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    setText(formatDeskDate(props.value));
    setInvalid(false);
  }, [props.value]);

  const apply = () => {
    const parsed = parseDeskDate(text, props.zone);
    setInvalid(parsed === null);
    if (parsed && parsed !== props.value) props.onChange(parsed);
    else if (parsed) setText(formatDeskDate(parsed));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      apply();
    }
  };
  return (
    <input
      id={props.id}
      className={props.className}
      type="text"
      inputMode="numeric"
      placeholder="TT.MM.JJJJ"
      aria-label={props.label}
      aria-invalid={invalid}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={apply}
      onKeyDown={onKeyDown}
    />
  );
};
