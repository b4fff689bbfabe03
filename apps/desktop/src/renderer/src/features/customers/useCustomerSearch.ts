/** customers.search as you type (debounced), and customers.get for the customer card. */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useDesk } from "../../app/DeskContext";
import { keys } from "../../app/keys";

const useDebounced = <T,>(value: T, ms: number) => {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
};

export const useCustomerSearch = (text: string) => {
  const { api } = useDesk();
  const query = useDebounced(text.trim(), 200);
  return useQuery({
    queryKey: keys.customerSearch(query),
    queryFn: () => api.customers.search.query({ query, limit: 8 }),
    enabled: query.length >= 2,
    staleTime: 10_000,
  });
};

export const useCustomer = (id: string | null) => {
  const { api } = useDesk();
  return useQuery({ queryKey: keys.customer(id ?? ""), queryFn: () => api.customers.get.query({ id: id! }), enabled: Boolean(id) });
};
