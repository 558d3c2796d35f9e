import "server-only";
import { cache } from "react";
import { getDb } from "@/db/client";
import type { Language } from "@/lib/language/languages";
import { orgNameFor } from "@/lib/settings/org-name";
import { getPortalContext } from "./settings";

/** The organisation's name in `language`, read once per request however many parts of the page show it. */
export const orgNameIn = cache((language: Language): string => orgNameFor(getDb(), language, getPortalContext()));
