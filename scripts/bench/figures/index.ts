/**
 * The bench's figures, in the order they run. Each is one module; to add a
 * figure, write a module exporting a `Figure` and list it here.
 */
import type { Figure } from "../figure";
import { filing } from "./filing";
import { peakMemory } from "./memory";
import { queueDeepPage, queueFirstPage, supporterRequest } from "./pages";
import { statementsPerQueuePage } from "./statements";

export const FIGURES: Figure[] = [
  filing,
  queueFirstPage,
  queueDeepPage,
  supporterRequest,
  statementsPerQueuePage,
  // Last: the peak over everything the server did before it.
  peakMemory,
];
