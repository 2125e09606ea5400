// Values their providers publish on purpose, meant to sit in client-side code: the generic detector does
// not report them, whatever the name they are assigned to and however random they look. Each prefix is
// listed with the documentation that says the value is public; a provider's secret of the same family
// has another prefix (Mapbox `sk.`, Stripe `sk_`/`rk_`, Supabase `sb_secret_`).
const PUBLIC_PREFIXES: readonly { prefix: string; source: string }[] = [
  { prefix: "pk.", source: "Mapbox, access tokens: public tokens (pk.) are for client-side use, secret tokens start with sk." },
  { prefix: "pk_live_", source: "Stripe, API keys: publishable keys identify the account in client-side code (also Clerk's)" },
  { prefix: "pk_test_", source: "Stripe, API keys: publishable test-mode keys" },
  { prefix: "sb_publishable_", source: "Supabase, API keys: publishable keys are safe to expose in a browser" },
];

/** True when the value starts with a prefix its provider documents as public. */
export function isPublishedValue(value: string): boolean {
  return PUBLIC_PREFIXES.some(({ prefix }) => value.startsWith(prefix));
}
