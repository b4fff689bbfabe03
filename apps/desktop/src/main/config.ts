/** The desktop's configuration, read once from the environment (the only module that reads it). */
import { z } from "zod";

const schema = z.object({
  ASKPROAI_API_URL: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL like http://127.0.0.1:3000" })
    .default("http://127.0.0.1:3000"),
});

export interface DesktopConfig {
  apiUrl: string;
}

export const loadDesktopConfig = (env: Record<string, string | undefined> = process.env): DesktopConfig => {
  const parsed = schema.safeParse({ ASKPROAI_API_URL: env.ASKPROAI_API_URL || undefined });
  if (!parsed.success) throw new Error(`ASKPROAI_API_URL ${parsed.error.issues[0]?.message ?? "is invalid"}`);
  return { apiUrl: parsed.data.ASKPROAI_API_URL };
};
