/** The customer card (customers.get): no-shows, last visit, notes, upcoming and recent appointments. */
import type { RouterOutputs } from "@askproai/client";
import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import { STATUS_LOOK } from "../calendar/status";

type Customer = RouterOutputs["customers"]["get"];

export const CustomerCard = ({ customer, zone }: { customer: Customer; zone: string }) => {
  const { t, formatIn } = useI18n();
  const fmt = formatIn(zone);
  const list = (items: Customer["upcoming"]) =>
    items.length === 0 ? (
      <p className="muted">{t("customers.noneListed")}</p>
    ) : (
      <ul className="plain">
        {items.map((a) => (
          <li key={a.id}>
            {fmt.dayShort(a.start)} {fmt.time(a.start)} · {a.serviceName} · {a.staffName}{" "}
            <span className={`status-pill small status-${a.status}`}>
              <span aria-hidden="true">{STATUS_LOOK[a.status].icon}</span> {t(STATUS_LOOK[a.status].label as MessageKey)}
            </span>
          </li>
        ))}
      </ul>
    );
  return (
    <section className="customer-card" aria-label={customer.name}>
      <h3>{customer.name}</h3>
      <p className="muted">
        {customer.phone}
        {customer.email ? ` · ${customer.email}` : ""}
      </p>
      <p>
        {t("customers.noShows", { count: customer.noShowCount })} ·{" "}
        {customer.lastVisitAt ? t("customers.lastVisit", { date: fmt.date(customer.lastVisitAt) }) : t("customers.never")}
      </p>
      {customer.notes && <p className="note">{customer.notes}</p>}
      <h4>{t("customers.upcoming")}</h4>
      {list(customer.upcoming)}
      <h4>{t("customers.recent")}</h4>
      {list(customer.recent)}
    </section>
  );
};
