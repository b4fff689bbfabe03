/**
 * Demo data (contract.md, "Demo data"): three companies, one per business model, each with a front-desk
 * and an owner login. Idempotent by company slug; every company is written in ONE transaction, so a
 * failure never leaves half a company behind. Refuses to run in production.
 *
 * Phone numbers come from the Bundesnetzagentur's ranges reserved for film and TV ("Drama-Nummern":
 * Berlin 030 23125 xxx, Hamburg 040 66969 xxx, Frankfurt 069 90009 xxx, München 089 99998 xxx), so
 * they can never ring a real subscriber.
 *
 * Over 300 lines because DEMO_COMPANIES is a data table (the three companies, ~170 lines); the code that
 * writes them is the ~140 lines below it.
 */
import { createSecretBox, DEMO_SECRETS, type SecretBox } from "@askproai/shared/server";
import { hashPassword } from "../auth/passwords.js";
import type { Db, Prisma } from "../client.js";

export const DEMO_PASSWORD = "demo-pass-123";
/** AskProAI's own demo operator (`platform.login`), outside every company; same password. */
export const DEMO_OPERATOR_EMAIL = "operator@askproai.example";
export const DEMO_COMPANY_SLUGS = ["simple-salon", "hotline-clinic", "matrix-spa"] as const;
export type DemoCompanySlug = (typeof DEMO_COMPANY_SLUGS)[number];

/** simple-salon's Cal.com connection (contract.md): its API key, event types per service, user ids per staff member. */
export const DEMO_CALCOM = {
  apiKey: "cal_demo_simple_salon",
  eventTypes: { cut: 1201, colour: 1202 } as Record<string, number>,
  /** Event type id → minutes, for the stand-in. */
  durations: { 1201: 30, 1202: 90 } as Record<number, number>,
  /** In staff order; the first is the API key's own user (the stand-in's first user, 1001). */
  userIds: [1001, 1002, 1003],
} as const;

export interface SeedDemoOptions {
  nodeEnv?: string;
  /** Seals the demo Cal.com API key; default the demo SECRETS_KEY (pass the deployment's). */
  secretsKey?: string;
  log?: (line: string) => void;
}

export interface SeedDemoResult {
  created: string[];
  skipped: string[];
}

type BusinessModel = "simple" | "multi_branch_hotline" | "complex_service_matrix";

interface BranchSpec {
  key: string;
  name: string;
  phoneNumber: string;
  street: string;
  postalCode: string;
  city: string;
  latitude: number;
  longitude: number;
  areaCodes: string[];
}

interface ServiceSpec {
  key: string;
  name: string;
  description: string;
  durationMinutes: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  priceMinor: number;
  requiredSkillLevel?: number;
  requiredResourceKind?: string;
}

interface StaffSpec {
  name: string;
  email: string;
  branch: string;
  /** service key → level (1–3); a service missing here is not offered by this staff member. */
  skills: Record<string, number>;
}

interface DemoCompanySpec {
  slug: DemoCompanySlug;
  name: string;
  businessModel: BusinessModel;
  voiceGreeting: string;
  branches: BranchSpec[];
  services: ServiceSpec[];
  staff: StaffSpec[];
  /** Weekly hours of every staff member at their branch: ISO weekdays, local minutes. */
  hours: { weekdays: number[]; startMinute: number; endMinute: number };
  resources: { branch: string; kind: string; name: string }[];
  hotline?: { name: string; phoneNumber: string; routes: string[] };
  users: { owner: string; frontDesk: string };
  /** Cal.com sync switched on with this connection. */
  calcom?: typeof DEMO_CALCOM;
}

const MON_SAT = [1, 2, 3, 4, 5, 6];
const MON_FRI = [1, 2, 3, 4, 5];
const all = (level: number, ...keys: string[]) => Object.fromEntries(keys.map((k) => [k, level]));

export const DEMO_COMPANIES: readonly DemoCompanySpec[] = [
  {
    slug: "simple-salon",
    name: "Salon Schnittpunkt",
    businessModel: "simple",
    voiceGreeting: "Guten Tag, Salon Schnittpunkt in Prenzlauer Berg. Wie kann ich Ihnen helfen?",
    branches: [
      {
        key: "main",
        name: "Salon Schnittpunkt Prenzlauer Berg",
        phoneNumber: "+493023125101",
        street: "Kastanienallee 42",
        postalCode: "10435",
        city: "Berlin",
        latitude: 52.5381,
        longitude: 13.4101,
        areaCodes: ["+4930"],
      },
    ],
    services: [
      { key: "cut", name: "Herrenhaarschnitt", description: "Waschen, Schneiden, Styling", durationMinutes: 30, priceMinor: 3500 },
      {
        key: "colour",
        name: "Färben & Schneiden",
        description: "Farbe inklusive Einwirkzeit, Schnitt und Föhnen",
        durationMinutes: 90,
        bufferAfterMinutes: 15,
        priceMinor: 8900,
      },
    ],
    staff: [
      { name: "Lena Hoffmann", email: "lena.hoffmann@simple-salon.example", branch: "main", skills: all(1, "cut", "colour") },
      { name: "Murat Yılmaz", email: "murat.yilmaz@simple-salon.example", branch: "main", skills: all(1, "cut", "colour") },
      { name: "Sophie Becker", email: "sophie.becker@simple-salon.example", branch: "main", skills: all(1, "cut", "colour") },
    ],
    hours: { weekdays: MON_SAT, startMinute: 9 * 60, endMinute: 18 * 60 },
    resources: [],
    users: { owner: "Petra Schneider", frontDesk: "Empfang Salon Schnittpunkt" },
    calcom: DEMO_CALCOM,
  },
  {
    slug: "hotline-clinic",
    name: "Praxisgemeinschaft Dr. Brandt & Partner",
    businessModel: "multi_branch_hotline",
    voiceGreeting: "Praxisgemeinschaft Dr. Brandt und Partner, Terminservice. Guten Tag!",
    branches: [
      {
        key: "berlin",
        name: "Praxis Berlin-Mitte",
        phoneNumber: "+493023125201",
        street: "Friedrichstraße 120",
        postalCode: "10117",
        city: "Berlin",
        latitude: 52.5227,
        longitude: 13.3876,
        areaCodes: ["+4930"],
      },
      {
        key: "hamburg",
        name: "Praxis Hamburg-Eimsbüttel",
        phoneNumber: "+494066969201",
        street: "Osterstraße 87",
        postalCode: "20259",
        city: "Hamburg",
        latitude: 53.5751,
        longitude: 9.9538,
        areaCodes: ["+4940"],
      },
      {
        key: "muenchen",
        name: "Praxis München-Schwabing",
        phoneNumber: "+498999998201",
        street: "Leopoldstraße 54",
        postalCode: "80802",
        city: "München",
        latitude: 48.1602,
        longitude: 11.5857,
        areaCodes: ["+4989"],
      },
    ],
    services: [
      { key: "intro", name: "Erstgespräch", description: "Anamnese und Befundaufnahme", durationMinutes: 20, priceMinor: 4500 },
      { key: "treatment", name: "Behandlung", description: "Physiotherapeutische Einzelbehandlung", durationMinutes: 45, priceMinor: 7500 },
    ],
    staff: [
      { name: "Dr. Katharina Brandt", email: "k.brandt@hotline-clinic.example", branch: "berlin", skills: all(1, "intro", "treatment") },
      { name: "Tobias Richter", email: "t.richter@hotline-clinic.example", branch: "berlin", skills: all(1, "intro", "treatment") },
      { name: "Dr. Jan Petersen", email: "j.petersen@hotline-clinic.example", branch: "hamburg", skills: all(1, "intro", "treatment") },
      { name: "Anna Lange", email: "a.lange@hotline-clinic.example", branch: "hamburg", skills: all(1, "intro", "treatment") },
      { name: "Dr. Maximilian Huber", email: "m.huber@hotline-clinic.example", branch: "muenchen", skills: all(1, "intro", "treatment") },
      { name: "Laura Bauer", email: "l.bauer@hotline-clinic.example", branch: "muenchen", skills: all(1, "intro", "treatment") },
    ],
    hours: { weekdays: MON_FRI, startMinute: 8 * 60, endMinute: 17 * 60 },
    resources: [],
    hotline: { name: "Zentrale Terminhotline", phoneNumber: "+493023125200", routes: ["berlin", "hamburg", "muenchen"] },
    users: { owner: "Dr. Katharina Brandt", frontDesk: "Empfang Praxisgemeinschaft" },
  },
  {
    slug: "matrix-spa",
    name: "Wellness-Oase am Main",
    businessModel: "complex_service_matrix",
    voiceGreeting: "Willkommen in der Wellness-Oase am Main. Was darf ich für Sie tun?",
    branches: [
      {
        key: "main",
        name: "Wellness-Oase Sachsenhausen",
        phoneNumber: "+496990009301",
        street: "Schweizer Straße 18",
        postalCode: "60594",
        city: "Frankfurt am Main",
        latitude: 50.1032,
        longitude: 8.6821,
        areaCodes: ["+4969"],
      },
    ],
    services: [
      {
        key: "classic",
        name: "Klassische Massage",
        description: "Ganzkörpermassage, 60 Minuten",
        durationMinutes: 60,
        bufferAfterMinutes: 10,
        priceMinor: 6900,
        requiredSkillLevel: 2,
        requiredResourceKind: "treatment_room",
      },
      {
        key: "hotstone",
        name: "Hot-Stone-Massage",
        description: "Massage mit erwärmten Basaltsteinen",
        durationMinutes: 90,
        bufferAfterMinutes: 15,
        priceMinor: 9900,
        requiredSkillLevel: 3,
        requiredResourceKind: "treatment_room",
      },
      {
        key: "facial",
        name: "Gesichtsbehandlung",
        description: "Reinigung, Peeling, Maske",
        durationMinutes: 45,
        bufferAfterMinutes: 10,
        priceMinor: 5900,
        requiredSkillLevel: 2,
        requiredResourceKind: "treatment_room",
      },
      { key: "manicure", name: "Maniküre", description: "Nagelpflege und Lack", durationMinutes: 30, priceMinor: 2900, requiredSkillLevel: 1 },
    ],
    staff: [
      // senior: everything
      { name: "Sabine Krüger", email: "sabine.krueger@matrix-spa.example", branch: "main", skills: { classic: 3, hotstone: 3, facial: 2, manicure: 2 } },
      // massage therapist, not yet qualified for hot stone or facials
      { name: "Jonas Weber", email: "jonas.weber@matrix-spa.example", branch: "main", skills: { classic: 2, hotstone: 2, facial: 1, manicure: 1 } },
      // beautician, not qualified for massages
      { name: "Aylin Demir", email: "aylin.demir@matrix-spa.example", branch: "main", skills: { classic: 1, facial: 3, manicure: 3 } },
      // junior: level 1 only, so manicure is all she may book
      { name: "Mia Schulz", email: "mia.schulz@matrix-spa.example", branch: "main", skills: { classic: 1, facial: 1, manicure: 1 } },
    ],
    hours: { weekdays: MON_SAT, startMinute: 10 * 60, endMinute: 20 * 60 },
    resources: [
      { branch: "main", kind: "treatment_room", name: "Raum Lavendel" },
      { branch: "main", kind: "treatment_room", name: "Raum Eukalyptus" },
    ],
    users: { owner: "Claudia Wagner", frontDesk: "Empfang Wellness-Oase" },
  },
];

/** Writes one demo company and everything it owns. Runs inside the caller's transaction. */
const createCompany = async (tx: Prisma.TransactionClient, spec: DemoCompanySpec, passwordHash: string, secrets: SecretBox) => {
  const company = await tx.company.create({
    data: {
      slug: spec.slug,
      name: spec.name,
      businessModel: spec.businessModel,
      timezone: "Europe/Berlin",
      voiceGreeting: spec.voiceGreeting,
      calcomSyncEnabled: spec.calcom !== undefined,
      // contract.md: each demo company has an active Stripe subscription (the Stripe stand-in has the same ids).
      stripeCustomerId: `cus_demo_${spec.slug.replaceAll("-", "_")}`,
      stripeSubscriptionId: `sub_demo_${spec.slug.replaceAll("-", "_")}`,
      billingStatus: "active",
      billingPeriodEnd: new Date(Date.now() + 29 * 86_400_000),
    },
  });
  const companyId = company.id;
  if (spec.calcom) await tx.calendarConnection.create({ data: { companyId, apiKeyEncrypted: secrets.seal(spec.calcom.apiKey) } });

  const branchIds = new Map<string, string>();
  for (const b of spec.branches) {
    const { key, ...data } = b;
    const row = await tx.branch.create({ data: { ...data, companyId, timezone: "Europe/Berlin" } });
    branchIds.set(key, row.id);
  }
  const branchId = (key: string) => {
    const id = branchIds.get(key);
    if (!id) throw new Error(`demo seed: ${spec.slug} refers to unknown branch "${key}"`);
    return id;
  };

  const serviceIds = new Map<string, string>();
  for (const s of spec.services) {
    const { key, ...data } = s;
    const row = await tx.service.create({ data: { ...data, companyId, currency: "EUR", calcomEventTypeId: spec.calcom?.eventTypes[key] ?? null } });
    serviceIds.set(key, row.id);
  }

  for (const [i, st] of spec.staff.entries()) {
    const staff = await tx.staff.create({ data: { companyId, name: st.name, email: st.email, calcomUserId: spec.calcom?.userIds[i] ?? null } });
    const home = branchId(st.branch);
    await tx.staffBranch.create({ data: { companyId, staffId: staff.id, branchId: home } });
    await tx.staffSkill.createMany({
      data: Object.entries(st.skills).map(([serviceKey, level]) => {
        const serviceId = serviceIds.get(serviceKey);
        if (!serviceId) throw new Error(`demo seed: ${spec.slug} refers to unknown service "${serviceKey}"`);
        return { companyId, staffId: staff.id, serviceId, branchId: null, level };
      }),
    });
    await tx.availabilityRule.createMany({
      data: spec.hours.weekdays.map((weekday) => ({
        companyId,
        branchId: home,
        staffId: staff.id,
        weekday,
        startMinute: spec.hours.startMinute,
        endMinute: spec.hours.endMinute,
      })),
    });
  }

  if (spec.resources.length > 0) {
    await tx.resource.createMany({
      data: spec.resources.map((r) => ({ companyId, branchId: branchId(r.branch), kind: r.kind, name: r.name })),
    });
  }

  if (spec.hotline) {
    const hotline = await tx.hotlineNumber.create({
      data: { companyId, name: spec.hotline.name, phoneNumber: spec.hotline.phoneNumber },
    });
    await tx.hotlineRoute.createMany({
      data: spec.hotline.routes.map((key, priority) => ({ companyId, hotlineNumberId: hotline.id, branchId: branchId(key), priority })),
    });
  }

  await tx.user.createMany({
    data: [
      { companyId, email: `owner@${spec.slug}.example`, name: spec.users.owner, role: "owner" as const, passwordHash },
      { companyId, email: `desk@${spec.slug}.example`, name: spec.users.frontDesk, role: "front_desk" as const, passwordHash },
    ],
  });
};

const describeCompany = (spec: DemoCompanySpec) => {
  const parts = [
    `${spec.branches.length} branch${spec.branches.length === 1 ? "" : "es"}`,
    `${spec.staff.length} staff`,
    `${spec.services.length} services`,
  ];
  if (spec.resources.length) parts.push(`${spec.resources.length} resources`);
  if (spec.hotline) parts.push(`hotline ${spec.hotline.phoneNumber}`);
  return parts.join(", ");
};

/**
 * Seeds the demo companies that do not exist yet (matched by slug). Never touches an existing company.
 * Throws when `nodeEnv` is "production", before touching the database.
 */
export const seedDemoData = async (db: Db, opts: SeedDemoOptions = {}): Promise<SeedDemoResult> => {
  if (opts.nodeEnv === "production") {
    throw new Error('Refusing to seed demo data: NODE_ENV is "production". Demo companies and logins must never exist in production.');
  }
  const log = opts.log ?? (() => {});
  const secrets = createSecretBox(opts.secretsKey ?? DEMO_SECRETS.SECRETS_KEY);
  const result: SeedDemoResult = { created: [], skipped: [] };

  // argon2 is deliberately slow: hash once per run, and only if something is actually created.
  let passwordHash: Promise<string> | undefined;
  const demoHash = () => (passwordHash ??= hashPassword(DEMO_PASSWORD));

  for (const spec of DEMO_COMPANIES) {
    const exists = await db.company.findUnique({ where: { slug: spec.slug }, select: { id: true } });
    if (exists) {
      result.skipped.push(spec.slug);
      log(`${spec.slug}: already present, skipped`);
      continue;
    }
    const hash = await demoHash();
    try {
      await db.$transaction(async (tx) => createCompany(tx, spec, hash, secrets), { maxWait: 10_000, timeout: 60_000 });
    } catch (error) {
      // Another seeder may have created it between our check and our insert: that is a skip, not a failure.
      const raced = await db.company.findUnique({ where: { slug: spec.slug }, select: { id: true } }).catch(() => null);
      if (raced) {
        result.skipped.push(spec.slug);
        log(`${spec.slug}: created concurrently by another run, skipped`);
        continue;
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`Seeding demo company "${spec.slug}" failed (nothing of it was written): ${message}`, { cause: error });
    }
    result.created.push(spec.slug);
    log(`${spec.slug}: created "${spec.name}" (${spec.businessModel}; ${describeCompany(spec)})`);
  }
  if (!(await db.platformOperator.findUnique({ where: { email: DEMO_OPERATOR_EMAIL }, select: { id: true } }))) {
    await db.platformOperator.createMany({ data: [{ email: DEMO_OPERATOR_EMAIL, name: "Demo Operator", passwordHash: await demoHash() }], skipDuplicates: true });
    log(`platform operator ${DEMO_OPERATOR_EMAIL}: created`);
  }
  return result;
};
