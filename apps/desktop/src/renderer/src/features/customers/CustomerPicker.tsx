/**
 * Find a customer by name or phone as you type (customers.search), or enter a new one inline (the
 * booking creates the customer). A combobox with a listbox: arrows move, Enter picks, Escape closes.
 */
import { useId, useState, type KeyboardEvent } from "react";
import { useConnection } from "../../app/DeskContext";
import { useI18n } from "../../i18n/i18n";
import { useCustomerSearch } from "./useCustomerSearch";

export interface PickedCustomer {
  id: string | null;
  name: string;
  phone: string;
}

const looksLikePhone = (text: string) => /^[+\d\s()./-]{3,}$/.test(text.trim());

export const CustomerPicker = ({ value, onChange, inputId }: { value: PickedCustomer | null; onChange(customer: PickedCustomer | null): void; inputId: string }) => {
  const { t } = useI18n();
  const connection = useConnection();
  const listId = useId();
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const [newName, setNewName] = useState("");
  const [newPhone, setNewPhone] = useState("");
  const [edited, setEdited] = useState(false);
  const search = useCustomerSearch(text);
  const results = open && text.trim().length >= 2 ? (search.data ?? []) : [];

  const pickExisting = (index: number) => {
    const customer = results[index];
    if (!customer) return;
    onChange({ id: customer.id, name: customer.name, phone: customer.phone });
    setOpen(false);
  };

  const updateNew = (name: string, phone: string) => {
    setNewName(name);
    setNewPhone(phone);
    onChange(name.trim() && phone.trim() ? { id: null, name: name.trim(), phone: phone.trim() } : null);
  };

  const onType = (next: string) => {
    setText(next);
    setOpen(true);
    setActive(0);
    // What was typed becomes the new customer's name or phone, until those fields are edited by hand.
    if (!edited) updateNew(looksLikePhone(next) ? newName : next, looksLikePhone(next) ? next : newPhone);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" && results.length) {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, results.length - 1));
    } else if (event.key === "ArrowUp" && results.length) {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (event.key === "Enter" && open && results.length) {
      event.preventDefault();
      pickExisting(active);
    } else if (event.key === "Escape" && open) {
      event.stopPropagation();
      setOpen(false);
    }
  };

  if (value?.id) {
    return (
      <div className="picked-customer">
        <span>{t("book.selected", { customer: `${value.name} (${value.phone})` })}</span>
        <button type="button" className="link" onClick={() => onChange(null)}>
          {t("book.change")}
        </button>
      </div>
    );
  }

  return (
    <div className="customer-picker">
      <label htmlFor={inputId}>{t("book.customer")}</label>
      <input
        id={inputId}
        type="search"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results.length ? `${listId}-${active}` : undefined}
        autoComplete="off"
        value={text}
        onChange={(e) => onType(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {connection === "offline" && <p className="hint">{t("customers.offline")}</p>}
      <ul id={listId} role="listbox" aria-label={t("book.customerResults")} className="customer-results" hidden={results.length === 0}>
        {results.map((c, i) => (
          <li
            key={c.id}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? "active" : undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pickExisting(i)}
          >
            <strong>{c.name}</strong> <span className="muted">{c.phone}</span>
          </li>
        ))}
      </ul>
      <fieldset className="new-customer">
        <legend>{t("book.newCustomer")}</legend>
        <label>
          {t("book.customerName")}
          <input
            autoComplete="off"
            value={newName}
            onChange={(e) => {
              setEdited(true);
              updateNew(e.target.value, newPhone);
            }}
          />
        </label>
        <label>
          {t("book.customerPhone")}
          <input
            type="tel"
            autoComplete="off"
            value={newPhone}
            onChange={(e) => {
              setEdited(true);
              updateNew(newName, e.target.value);
            }}
          />
        </label>
      </fieldset>
    </div>
  );
};
