/**
 * Per-company credentials at rest (a company's Cal.com API key): AES-256-GCM with a key derived from
 * `SECRETS_KEY` (its SHA-256), a fresh 12-byte IV per value, the tag checked on the way out. Stored as
 * `v1:<iv>:<tag>:<ciphertext>` (base64url), so the scheme can change later without guessing.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

export interface SecretBox {
  seal(plain: string): string;
  /** Throws when the value was not sealed with this key (or was changed). */
  open(sealed: string): string;
}

export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";
}

export const createSecretBox = (secretsKey: string): SecretBox => {
  const key = createHash("sha256").update(secretsKey, "utf8").digest();
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(":");
    },
    open(sealed) {
      const [version, iv, tag, data] = sealed.split(":");
      if (version !== "v1" || !iv || !tag || data === undefined) throw new SecretBoxError("not a sealed secret (v1)");
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        decipher.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretBoxError("the secret cannot be opened with this SECRETS_KEY");
      }
    },
  };
};
