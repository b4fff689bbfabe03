/** Customer lookup on its own ("/"): the phone call "when is my appointment?". */
import { useEffect, useId, useRef, useState } from "react";
import { useConnection } from "../../app/DeskContext";
import { useI18n } from "../../i18n/i18n";
import { CustomerCard } from "./CustomerCard";
import { useCustomer, useCustomerSearch } from "./useCustomerSearch";

export const CustomerSearchPanel = ({ zone, onClose }: { zone: string; onClose(): void }) => {
  const { t } = useI18n();
  const connection = useConnection();
  const titleId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const search = useCustomerSearch(text);
  const customer = useCustomer(selected);

  useEffect(() => inputRef.current?.focus(), []);

  return (
    <aside className="panel" aria-labelledby={titleId}>
      <header className="panel-head">
        <h2 id={titleId}>{t("customers.title")}</h2>
        <button type="button" className="icon-button" aria-label={t("close")} onClick={onClose}>
          ×
        </button>
      </header>
      <div className="panel-body">
        <label>
          {t("customers.search")}
          <input ref={inputRef} type="search" value={text} onChange={(e) => (setText(e.target.value), setSelected(null))} />
        </label>
        {connection === "offline" && <p className="hint">{t("customers.offline")}</p>}
        {search.data && search.data.length === 0 && <p className="muted">{t("customers.none")}</p>}
        <ul className="plain results">
          {(search.data ?? []).map((c) => (
            <li key={c.id}>
              <button type="button" className="list-button" aria-pressed={selected === c.id} onClick={() => setSelected(c.id)}>
                <strong>{c.name}</strong> <span className="muted">{c.phone}</span>
              </button>
            </li>
          ))}
        </ul>
        {customer.data && <CustomerCard customer={customer.data} zone={zone} />}
      </div>
    </aside>
  );
};
