import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { makeFormatters, type Formatters } from "./format";
import { LOCALES, MESSAGES, type Language, type MessageKey } from "./messages";

const LANGUAGE_KEY = "askproai.language";

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  locale: string;
  t: Translate;
  /** Formatters in the given zone (the branch's). */
  formatIn(zone: string): Formatters;
  toggleLanguage(): void;
}

const I18nContext = createContext<I18n | null>(null);

const initialLanguage = (): Language => (localStorage.getItem(LANGUAGE_KEY) === "en" ? "en" : "de");

export const I18nProvider = ({ children }: { children: ReactNode }) => {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const toggleLanguage = useCallback(() => {
    setLanguage((current) => {
      const next = current === "de" ? "en" : "de";
      localStorage.setItem(LANGUAGE_KEY, next);
      return next;
    });
  }, []);
  const value = useMemo<I18n>(() => {
    const messages = MESSAGES[language];
    const locale = LOCALES[language];
    const t: Translate = (key, values) => {
      let text = messages[key];
      if (values) for (const [name, v] of Object.entries(values)) text = text.replaceAll(`{${name}}`, String(v));
      return text;
    };
    document.documentElement.lang = language;
    return { language, locale, t, formatIn: (zone) => makeFormatters(locale, zone), toggleLanguage };
  }, [language, toggleLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
};

export const useI18n = () => {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
};
