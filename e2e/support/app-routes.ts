/**
 * What the app/ folder serves, read from the files themselves, so a new
 * page, route handler or server action shows up in the sweeps without anyone
 * listing it (and fails them until someone says who may use it).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "./app-process";

export type AppRoutes = {
  /** URL patterns of pages, e.g. "/requests/[ref]". */
  pages: string[];
  /** Route handlers: URL pattern and the HTTP methods exported. */
  handlers: Array<{ pattern: string; methods: string[] }>;
  /** Server actions: "file#export", e.g. "app/(public)/new/actions.ts#submitRequest". */
  actions: string[];
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** "app/(public)/requests/[ref]/page.tsx" → "/requests/[ref]": route groups and private folders are not in the URL. */
function urlPattern(relativeDir: string): string {
  const segments = relativeDir
    .split(path.sep)
    .slice(1)
    .filter((s) => !(s.startsWith("(") && s.endsWith(")")));
  return `/${segments.join("/")}`;
}

export function appRoutes(): AppRoutes {
  const root = projectRoot();
  const appDir = path.join(root, "app");
  const routes: AppRoutes = { pages: [], handlers: [], actions: [] };
  for (const file of filesUnder(appDir).sort()) {
    const relative = path.relative(root, file);
    const dir = path.dirname(relative);
    if (dir.split(path.sep).some((s) => s.startsWith("_"))) continue;
    const base = path.basename(file);
    const source = readFileSync(file, "utf8");
    if (/^page\.(tsx|ts|jsx|js)$/.test(base)) routes.pages.push(urlPattern(dir));
    if (/^route\.(ts|js)$/.test(base)) {
      const methods = [...source.matchAll(/export\s+(?:async\s+)?(?:function|const)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g)].map(
        (m) => m[1] ?? "",
      );
      const reexported = [...source.matchAll(/export\s*\{([^}]*)\}/g)].flatMap((m) =>
        (m[1] ?? "").split(",").map((part) => part.trim().split(/\s+as\s+/).pop() ?? ""),
      );
      routes.handlers.push({
        pattern: urlPattern(dir),
        methods: [...new Set([...methods, ...reexported.filter((n) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(n))])].sort(),
      });
    }
    if (/^\s*["']use server["']/.test(source)) {
      for (const m of source.matchAll(/export\s+(?:async\s+)?(?:const|function|let)\s+(\w+)/g)) {
        routes.actions.push(`${relative.split(path.sep).join("/")}#${m[1]}`);
      }
    }
  }
  return routes;
}
