import "server-only";
import { getSettings } from "@/server/settings";
import { sharedDatabase, type Db } from "./connection";

/** The app's connection, opened on first use (never while the app is being built). */
export function getDb(): Db {
  return sharedDatabase(getSettings().databasePath);
}
