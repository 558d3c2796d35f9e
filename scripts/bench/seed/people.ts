/** Made-up names and addresses for the bench database. */
const FIRST = [
  "ada", "alan", "amara", "anil", "beatriz", "ben", "carla", "chen", "dara", "david", "elena", "emeka", "fatima", "felix",
  "grace", "hana", "ian", "ines", "jamal", "jane", "kofi", "lena", "liam", "maria", "mei", "nadia", "noah", "olga", "omar",
  "priya", "quinn", "rosa", "sam", "sara", "tariq", "tom", "uma", "victor", "wen", "xavier", "yara", "yusuf", "zoe",
] as const;
const LAST = [
  "adams", "baker", "costa", "diallo", "evans", "fischer", "garcia", "hughes", "ito", "jones", "khan", "lopez", "murphy",
  "nguyen", "okafor", "patel", "quist", "rossi", "smith", "tanaka", "ueda", "varga", "walsh", "xu", "young", "zhang",
] as const;
const DOMAINS = ["example.org", "example.com", "example.net", "mail.example.org", "post.example.com"] as const;

export type Person = { name: string; email: string };

/** Person number `n`: the same n always gives the same person. */
export function person(n: number): Person {
  const first = FIRST[n % FIRST.length]!;
  const last = LAST[Math.floor(n / FIRST.length) % LAST.length]!;
  const domain = DOMAINS[n % DOMAINS.length]!;
  const name = `${first[0]!.toUpperCase()}${first.slice(1)} ${last[0]!.toUpperCase()}${last.slice(1)}`;
  return { name, email: `${first}.${last}${n}@${domain}` };
}
